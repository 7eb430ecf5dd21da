// The parts of the notes API that are not JSON: form login with a session, and attachments
// uploaded as multipart and downloaded with ranges.

import Sluice
import SluiceTesting
import Testing

@Suite("Notes: sign-in form and attachments")
struct NotesFormsTests {
    @Test("signing in with a form sets a session cookie that stands for the token until sign-out")
    func formLogin() async throws {
        try await withNotesApp { client in
            let token = try await client.register("ada")
            _ = try await client.post("/notes").authorized(token).json(#"{"title": "mine"}"#).send()
            let login = try await client.post("/users/login").header("Content-Type", "application/x-www-form-urlencoded").body("token=\(token)").send()
            #expect(login.status == .seeOther)
            #expect(login.headers["Location"] == "/notes")
            let field = try #require(login.headers["Set-Cookie"])
            #expect(field.contains("HttpOnly") && field.contains("SameSite=Lax") && field.contains("Path=/"))
            let cookie = String(field.prefix { $0 != ";" })
            let list = try jsonArray(try await client.get("/notes").header("Cookie", cookie).send())
            #expect(list.map { $0["title"] as? String } == ["mine"])
            #expect(try json(try await client.get("/users/me").header("Cookie", cookie).send())["name"] as? String == "ada")
            let logout = try await client.post("/users/logout").header("Cookie", cookie).send()
            #expect(logout.headers["Set-Cookie"]?.contains("Max-Age=0") == true)
        }
    }

    @Test("a wrong token, a forged cookie, or a form of the wrong type do not sign in")
    func refusedLogins() async throws {
        try await withNotesApp { client in
            _ = try await client.register("ada")
            let wrong = try await client.post("/users/login").header("Content-Type", "application/x-www-form-urlencoded").body("token=nope").send()
            #expect(wrong.status == .unprocessableContent)
            #expect(try json(wrong)["errors"] as? [String: String] == ["token": "is not a registered user's"])
            #expect(try await client.post("/users/login").json(#"{"token": "x"}"#).send().status == .unsupportedMediaTypeCode)
            #expect(
                try await client.post("/users/login").header("Content-Type", "application/x-www-form-urlencoded").body("token=%zz").send().status == .badRequest
            )
            #expect(try await client.get("/notes").header("Cookie", "session=dXNlcj0x.1800000000.AAAA").send().status == .unauthorized)
        }
    }

    @Test("a file uploaded as multipart is downloaded back whole, by ranges, and conditionally")
    func attachments() async throws {
        try await withNotesApp { client in
            let token = try await client.register("ada")
            _ = try await client.post("/notes").authorized(token).json(#"{"title": "with a file"}"#).send()
            let content = (0..<5000).map { String($0 % 10) }.joined()
            let body =
                "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../report 1.txt\"\r\nContent-Type: text/plain\r\n\r\n\(content)\r\n--b--\r\n"
            let upload = try await client.put("/notes/1/attachment").authorized(token).header("Content-Type", "multipart/form-data; boundary=b").body(body)
                .send()
            #expect(upload.status == .ok)
            #expect(try json(upload)["attachment"] as? String == "report_1.txt")
            let whole = try await client.get("/notes/1/attachment").authorized(token).send()
            #expect(whole.text == content)
            #expect(whole.headers["Content-Disposition"]?.hasPrefix("attachment; filename=\"report_1.txt\"") == true)
            let part = try await client.get("/notes/1/attachment").authorized(token).header("Range", "bytes=10-19").send()
            #expect(part.status.code == 206)
            #expect(part.text == "0123456789")
            #expect(part.headers["Content-Range"] == "bytes 10-19/5000")
            let etag = try #require(whole.headers["ETag"])
            #expect(try await client.get("/notes/1/attachment").authorized(token).header("If-None-Match", etag).send().status == .notModified)
            #expect(try await client.get("/notes/1/attachment").authorized(token).header("Range", "bytes=5000-").send().status.code == 416)
            let bob = try await client.register("bob")
            #expect(try await client.get("/notes/1/attachment").authorized(bob).send().status == .notFound)
            #expect(try await client.delete("/notes/1").authorized(token).send().status == .noContent)
            #expect(try await client.get("/notes/1/attachment").authorized(token).send().status == .notFound)
        }
    }

    @Test("uploads without a file, of the wrong type, or malformed are refused with a 4xx")
    func badUploads() async throws {
        try await withNotesApp { client in
            let token = try await client.register("ada")
            _ = try await client.post("/notes").authorized(token).json(#"{"title": "t"}"#).send()
            let noFile = "--b\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--b--"
            let multipart = "multipart/form-data; boundary=b"
            #expect(
                try await client.put("/notes/1/attachment").authorized(token).header("Content-Type", multipart).body(noFile).send().status
                    == .unprocessableContent)
            #expect(try await client.put("/notes/1/attachment").authorized(token).json("{}").send().status == .unsupportedMediaTypeCode)
            #expect(
                try await client.put("/notes/1/attachment").authorized(token).header("Content-Type", multipart).body("--b\r\ntruncated").send().status
                    == .badRequest)
            #expect(try await client.get("/notes/1/attachment").authorized(token).send().status == .notFound)
            #expect(try await client.put("/notes/2/attachment").authorized(token).header("Content-Type", multipart).body(noFile).send().status == .notFound)
        }
    }
}

extension Response.Status {
    /// 415, named here so that the notes tests need not import the toolkit.
    static let unsupportedMediaTypeCode: Response.Status = 415
}
