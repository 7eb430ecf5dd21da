// Serving files: validators, 304/412, ranges 206/416, HEAD, MIME types, and no way out of the root.

import Foundation
import Sluice
import SluiceTesting
import SluiceToolkit
import Testing

@Suite("Serving files")
struct StaticFilesTests {
    /// A directory tree for one test: `root/` with files, and a secret beside it.
    final class Tree: Sendable {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-files-\(UUID().uuidString)").path
        var root: String { base + "/root" }

        init() throws {
            let files = FileManager.default
            try files.createDirectory(atPath: root + "/docs", withIntermediateDirectories: true)
            try files.createDirectory(atPath: root + "/empty dir", withIntermediateDirectories: true)
            try Data("0123456789abcdefghij".utf8).write(to: URL(fileURLWithPath: root + "/digits.txt"))
            try Data("<h1>docs</h1>".utf8).write(to: URL(fileURLWithPath: root + "/docs/index.html"))
            try Data("{}".utf8).write(to: URL(fileURLWithPath: root + "/docs/a b.json"))
            try Data().write(to: URL(fileURLWithPath: root + "/empty.bin"))
            try Data("SECRET".utf8).write(to: URL(fileURLWithPath: root + "/.env"))
            try Data("SECRET".utf8).write(to: URL(fileURLWithPath: base + "/secret.txt"))
            try files.createSymbolicLink(atPath: root + "/escape.txt", withDestinationPath: base + "/secret.txt")
            try files.createSymbolicLink(atPath: root + "/escape-dir", withDestinationPath: base)
            try files.createSymbolicLink(atPath: root + "/inside.txt", withDestinationPath: root + "/digits.txt")
        }

        deinit { try? FileManager.default.removeItem(atPath: base) }

        var client: TestClient { TestClient(StaticFiles(root: root).answeringErrors()) }
    }

    @Test("a file with its type, length, ETag, Last-Modified and Accept-Ranges; HEAD the same without the body")
    func wholeFile() async throws {
        let tree = try Tree()
        let response = try await tree.client.get("/digits.txt").send()
        #expect(response.status == .ok)
        #expect(response.text == "0123456789abcdefghij")
        #expect(response.headers["Content-Type"] == "text/plain; charset=utf-8")
        #expect(response.headers["Content-Length"] == "20")
        #expect(response.headers["Accept-Ranges"] == "bytes")
        let etag = try #require(response.headers["ETag"])
        #expect(etag.hasPrefix("\"") && etag.hasSuffix("\""))
        #expect(HTTPDate.parse(try #require(response.headers["Last-Modified"])) != nil)
        let head = try await tree.client.head("/digits.txt").send()
        #expect(head.body.isEmpty)
        #expect(head.headers["Content-Length"] == "20")
        #expect(head.headers["ETag"] == etag)
        #expect(try await tree.client.get("/docs/a%20b.json").send().headers["Content-Type"] == "application/json")
        #expect(try await tree.client.get("/empty.bin").send().body.isEmpty)
        #expect(try await tree.client.get("/inside.txt").send().text == "0123456789abcdefghij")
    }

    @Test("a directory: redirected to end in /, then its index.html; none means 404")
    func directories() async throws {
        let tree = try Tree()
        let client = TestClient(Mount(["/static": StaticFiles(root: tree.root).answeringErrors()]))
        let redirect = try await client.get("/static/docs").send()
        #expect(redirect.status == .movedPermanently)
        #expect(redirect.headers["Location"] == "/static/docs/")
        #expect(try await client.get("/static/docs/").send().text == "<h1>docs</h1>")
        #expect(try await client.get("/static/empty%20dir/").send().status == .notFound)
        #expect(try await client.get("/static").send().headers["Location"] == "/static/")
    }

    @Test(
        "no way out of the root",
        arguments: [
            "/../secret.txt", "/%2e%2e/secret.txt", "/docs/%2e%2e/%2e%2e/secret.txt", "/escape.txt",
            "/escape-dir/secret.txt", "/.env", "/docs/..%5C..%5Csecret.txt", "/nothing-here",
        ])
    func traversal(path: String) async throws {
        let tree = try Tree()
        let response = try await tree.client.get(path).send()
        #expect(response.status == .notFound, "\(path): \(response.text)")
        #expect(!response.text.contains("SECRET"))
    }

    @Test(
        "[REQ-15] a path with a dot segment once %2F is decoded, or a control character, never reaches the files",
        arguments: [
            "/docs%2F..%2F..%2Fsecret.txt", "/..%2Fsecret.txt", "/%2e%2e%2f%2e%2e%2fetc/passwd", "/docs/%0a", "/digits.txt%00.png",
        ])
    func refusedBeforeTheFiles(path: String) async throws {
        let tree = try Tree()
        let response = try await tree.client.get(path).send()
        #expect(response.status == .badRequest, "\(path): \(response.text)")
        #expect(!response.text.contains("SECRET"))
    }

    @Test("methods other than GET and HEAD are 405")
    func methods() async throws {
        let tree = try Tree()
        let response = try await tree.client.post("/digits.txt").send()
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers["Allow"] == "GET, HEAD")
    }

    @Test("conditional requests: 304 for a current If-None-Match or If-Modified-Since, 412 for a failed If-Match or If-Unmodified-Since")
    func conditionals() async throws {
        let tree = try Tree()
        let client = tree.client
        let first = try await client.get("/digits.txt").send()
        let etag = try #require(first.headers["ETag"])
        let modified = try #require(first.headers["Last-Modified"])
        let notModified = try await client.get("/digits.txt").header("If-None-Match", "\"other\", W/\(etag)").send()
        #expect(notModified.status == .notModified)
        #expect(notModified.body.isEmpty)
        #expect(notModified.headers["ETag"] == etag)
        #expect(try await client.get("/digits.txt").header("If-None-Match", "*").send().status == .notModified)
        #expect(try await client.get("/digits.txt").header("If-None-Match", "\"other\"").send().status == .ok)
        #expect(try await client.get("/digits.txt").header("If-Modified-Since", modified).send().status == .notModified)
        #expect(try await client.get("/digits.txt").header("If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT").send().status == .ok)
        // If-None-Match wins over If-Modified-Since (RFC 9110 section 13.2.2).
        #expect(try await client.get("/digits.txt").header("If-None-Match", "\"other\"").header("If-Modified-Since", modified).send().status == .ok)
        #expect(try await client.get("/digits.txt").header("If-Match", etag).send().status == .ok)
        #expect(try await client.get("/digits.txt").header("If-Match", "W/\(etag)").send().status == .preconditionFailed)
        #expect(try await client.get("/digits.txt").header("If-Match", "\"other\"").send().status == .preconditionFailed)
        #expect(try await client.get("/digits.txt").header("If-Match", "garbage").send().status == .preconditionFailed)
        #expect(try await client.get("/digits.txt").header("If-Unmodified-Since", "Sat, 01 Jan 2000 00:00:00 GMT").send().status == .preconditionFailed)
        #expect(try await client.get("/digits.txt").header("If-Unmodified-Since", "not a date").send().status == .ok)
    }

    @Test("one range is 206 with Content-Range; several are multipart/byteranges")
    func ranges() async throws {
        let tree = try Tree()
        let client = tree.client
        let one = try await client.get("/digits.txt").header("Range", "bytes=2-4").send()
        #expect(one.status == .partialContent)
        #expect(one.text == "234")
        #expect(one.headers["Content-Range"] == "bytes 2-4/20")
        #expect(try await client.get("/digits.txt").header("Range", "bytes=-3").send().text == "hij")
        #expect(try await client.get("/digits.txt").header("Range", "bytes=18-").send().text == "ij")
        #expect(try await client.get("/digits.txt").header("Range", "bytes=18-999999999999999999").send().text == "ij")
        #expect(try await client.get("/digits.txt").header("Range", "bytes=-50").send().text == "0123456789abcdefghij")
        let many = try await client.get("/digits.txt").header("Range", "bytes=15-16, 0-1").send()
        #expect(many.status == .partialContent)
        let type = try #require(many.headers["Content-Type"])
        #expect(type.hasPrefix("multipart/byteranges; boundary="))
        let boundary = String(type.dropFirst("multipart/byteranges; boundary=".count))
        #expect(
            many.text == "--\(boundary)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 0-1/20\r\n\r\n01"
                + "\r\n--\(boundary)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 15-16/20\r\n\r\nfg\r\n--\(boundary)--\r\n")
        #expect(many.headers["Content-Length"] == String(many.body.count))
        let head = try await client.head("/digits.txt").header("Range", "bytes=2-4").send()
        #expect(head.status == .partialContent)
        #expect(head.body.isEmpty)
        #expect(try await client.get("/digits.txt").header("Range", "lines=1-2").send().status == .ok)
    }

    @Test("If-Range: the range for the current version, the whole file for another")
    func ifRange() async throws {
        let tree = try Tree()
        let first = try await tree.client.get("/digits.txt").send()
        let etag = try #require(first.headers["ETag"])
        let modified = try #require(first.headers["Last-Modified"])
        #expect(try await tree.client.get("/digits.txt").header("Range", "bytes=0-0").header("If-Range", etag).send().text == "0")
        #expect(try await tree.client.get("/digits.txt").header("Range", "bytes=0-0").header("If-Range", modified).send().text == "0")
        #expect(try await tree.client.get("/digits.txt").header("Range", "bytes=0-0").header("If-Range", "\"old\"").send().status == .ok)
        #expect(try await tree.client.get("/digits.txt").header("Range", "bytes=0-0").header("If-Range", "Sat, 01 Jan 2000 00:00:00 GMT").send().status == .ok)
    }

    @Test(
        "ranges that cannot be sent are 416 with Content-Range: bytes */size",
        arguments: [
            "bytes=20-", "bytes=30-40", "bytes=5-2", "bytes=abc", "bytes=1-2-3", "bytes=", "bytes=-", "bytes=--1", "bytes=-0",
            "bytes=0-5,3-8", "bytes=0-1,1-2", "bytes=99999999999999999999-", "bytes=0-99999999999999999999", "bytes=-99999999999999999999",
            "bytes=" + (0..<17).map { "\($0 * 2)-\($0 * 2)" }.joined(separator: ","), "bytes=+1-2", "bytes=0x1-2",
        ])
    func unsatisfiable(range: String) async throws {
        let tree = try Tree()
        let response = try await tree.client.get("/digits.txt").header("Range", range).send()
        #expect(response.status == .rangeNotSatisfiable, "\(range)")
        #expect(response.headers["Content-Range"] == "bytes */20")
    }

    @Test("a range on an empty file is 416")
    func emptyFileRange() async throws {
        let tree = try Tree()
        #expect(try await tree.client.get("/empty.bin").header("Range", "bytes=0-").send().status == .rangeNotSatisfiable)
    }

    @Test("the front server can send the file: X-Accel-Redirect for nginx, X-Sendfile for Apache and lighttpd")
    func handoff() async throws {
        let tree = try Tree()
        let nginx = TestClient(StaticFiles(root: tree.root, handoff: .xAccelRedirect(prefix: "/protected/")).answeringErrors())
        let accel = try await nginx.get("/docs/a%20b.json").send()
        #expect(accel.headers["X-Accel-Redirect"] == "/protected/docs/a%20b.json")
        #expect(accel.headers["Content-Type"] == "application/json")
        #expect(accel.body.isEmpty)
        #expect(try await nginx.get("/../secret.txt").send().status == .notFound)
        let apache = TestClient(StaticFiles(root: tree.root, handoff: .xSendfile).answeringErrors())
        let sendfile = try await apache.get("/digits.txt").send()
        #expect(sendfile.headers["X-Sendfile"] == realPath(tree.root + "/digits.txt"))
    }

    @Test("Response.file offers a download under a safe name")
    func download() async throws {
        let tree = try Tree()
        let app = App { request in try .file(at: tree.root + "/digits.txt", for: request, contentType: "text/csv", downloadName: "résumé \"final\".csv") }
        let response = try await TestClient(app).get("/").send()
        #expect(response.headers["Content-Type"] == "text/csv")
        #expect(response.headers["Content-Disposition"] == "attachment; filename=\"rsum_final.csv\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.csv")
    }

    func realPath(_ path: String) -> String? {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }
}
