// Multipart bodies through a request: streaming parts, saved files, forms, and 4xx for bad input.

import Sluice
import SluiceTesting
import SluiceToolkit
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Multipart requests")
struct MultipartReaderTests {
    static let boundary = "----sluice-test"

    static func body(_ parts: [(headers: String, body: String)]) -> String {
        parts.map { "--\(boundary)\r\n\($0.headers)\r\n\r\n\($0.body)\r\n" }.joined() + "--\(boundary)--\r\n"
    }

    static func post(_ client: TestClient, _ body: String, type: String = "multipart/form-data; boundary=\"\(boundary)\"") async throws -> TestResponse {
        try await client.post("/").header("Content-Type", type).body(body).send()
    }

    /// Paths an application saw.
    final class Paths: Sendable {
        private let paths = Mutex<[String]>([])
        func append(_ path: String) { paths.withLock { $0.append(path) } }
        var first: String? { paths.withLock { $0.first } }
    }

    /// Answers with the form's fields and files, and records the temporary paths.
    static func formEcho(paths: Paths = Paths()) -> any Application {
        App { request in
            let form = try await request.form(multipartLimits: MultipartLimits(maxFieldBytes: 20))
            let files = form.files.map { file in
                paths.append(file.path)
                return "\(file.fieldName):\(file.filename ?? "-"):\(file.contentType):\(file.size):\(contents(of: file.path))"
            }
            return .text((form.fields.map { "\($0.name)=\($0.value)" } + files).joined(separator: "\n"))
        }.answeringErrors()
    }

    static func contents(of path: String) -> String {
        guard let file = fopen(path, "r") else { return "<gone>" }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        while true {
            let byte = fgetc(file)
            if byte == EOF { break }
            bytes.append(UInt8(byte))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("a form with fields and a file: fields in memory, the file on disk, removed when the request completes")
    func formWithFile() async throws {
        let paths = Paths()
        let response = try await Self.post(
            TestClient(Self.formEcho(paths: paths)),
            Self.body([
                ("Content-Disposition: form-data; name=\"title\"", "Hello"),
                ("Content-Disposition: form-data; name=\"upload\"; filename=\"../../etc/my notes.txt\"\r\nContent-Type: text/plain", "file\r\nbytes"),
                ("Content-Disposition: form-data; name=\"title\"", "Again"),
            ]))
        #expect(response.status == .ok)
        #expect(response.text == "title=Hello\ntitle=Again\nupload:my_notes.txt:text/plain:11:file\r\nbytes")
        let path = try #require(paths.first)
        #expect(Self.contents(of: path) == "<gone>")
    }

    @Test("parts stream: a handler sees the first part before the rest of the body is sent")
    func streaming() async throws {
        let app = App { request in
            let reader = try request.multipart()
            var seen: [String] = []
            while let part = try await reader.nextPart() {
                var size = 0
                while let chunk = try await reader.nextChunk() { size += chunk.count }
                seen.append("\(part.name)=\(size)")
            }
            return .text(seen.joined(separator: ","))
        }.answeringErrors()
        let upload = RequestBodyStream()
        async let response = TestClient(app).post("/").header("Content-Type", "multipart/form-data; boundary=b").body(upload).send()
        try await upload.write("--b\r\nContent-Disposition: form-data; name=big; filename=x\r\n\r\n")
        for _ in 0..<64 { try await upload.write([UInt8](repeating: 0x61, count: 16 * 1024)) }
        try await upload.write("\r\n--b\r\nContent-Disposition: form-data; name=small\r\n\r\nhi\r\n--b--")
        upload.finish()
        #expect(try await response.text == "big=1048576,small=2")
    }

    @Test("the application's own sink gets the bytes; an unread part is skipped by nextPart")
    func skipping() async throws {
        let app = App { request in
            let reader = try request.multipart()
            _ = try await reader.nextPart()
            let second = try await reader.nextPart()
            return .text("\(second?.name ?? "-")=\(try await reader.text())")
        }.answeringErrors()
        let response = try await Self.post(
            TestClient(app),
            Self.body([
                ("Content-Disposition: form-data; name=a", String(repeating: "x", count: 100_000)),
                ("Content-Disposition: form-data; name=b", "second"),
            ]))
        #expect(response.text == "b=second")
    }

    @Test(
        "bad multipart requests get a clear 4xx",
        arguments: [
            // (content type, body, status)
            ("text/plain", "x", 415),
            ("multipart/form-data", "--b\r\n\r\n--b--", 400),  // no boundary parameter
            ("multipart/form-data; boundary=\"a;b\"", "x", 400),  // a boundary RFC 2046 forbids
            ("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=a\r\n\r\nno end", 400),  // truncated
            ("multipart/form-data; boundary=b", "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--", 400),  // no Content-Disposition
            ("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--b--", 400),
            ("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=a\r\n\r\n\u{FF}\u{FE}\r\n--b--", 200),
            ("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=a\r\n\r\n" + String(repeating: "x", count: 21) + "\r\n--b--", 413),
            ("multipart/form-data; boundary=b", String(repeating: "--b\r\nContent-Disposition: form-data; name=a\r\n\r\n\r\n", count: 1001) + "--b--", 413),
            ("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=a\r\n" + String(repeating: "X: y\r\n", count: 2000), 413),
        ])
    func badInput(type: String, body: String, status: Int) async throws {
        let response = try await Self.post(TestClient(Self.formEcho()), body, type: type)
        #expect(response.status.code == status, "\(response.text)")
        if status != 200 { #expect(response.headers["Content-Type"] == "application/problem+json") }
    }

    @Test("a field that is not UTF-8 is 400")
    func notUTF8() async throws {
        let app = App { request in .text(try await request.form().fields["a"] ?? "-") }.answeringErrors()
        var body = Array("--b\r\nContent-Disposition: form-data; name=a\r\n\r\n".utf8)
        body += [0xFF, 0xFE] + Array("\r\n--b--".utf8)
        let response = try await TestClient(app).post("/").header("Content-Type", "multipart/form-data; boundary=b").body(body).send()
        #expect(response.status == .badRequest)
    }

    @Test("the body limit: a declared length over it is 413 at once; an undeclared one stops where it passes")
    func bodyLimit() async throws {
        let app = App { request in
            _ = try await request.form(multipartLimits: MultipartLimits(maxBytes: 100))
            return .text("ok")
        }.answeringErrors()
        let client = TestClient(app)
        let big = "--b\r\nContent-Disposition: form-data; name=a; filename=f\r\n\r\n" + String(repeating: "x", count: 200) + "\r\n--b--"
        #expect(try await client.post("/").header("Content-Type", "multipart/form-data; boundary=b").body(big).send().status == .contentTooLarge)
        let upload = RequestBodyStream()
        async let response = client.post("/").header("Content-Type", "multipart/form-data; boundary=b").body(upload).send()
        try await upload.write(big)
        upload.finish()
        #expect(try await response.status == .contentTooLarge)
    }

    @Test(
        "file names are made safe",
        arguments: [
            ("../../etc/passwd", "passwd"), ("C:\\Users\\ada\\report final.pdf", "report_final.pdf"), ("..", nil),
            (".htaccess", "htaccess"), ("naïve.txt", "nave.txt"), ("CON.txt", "_CON.txt"), ("a\u{0}b\n.txt", "ab.txt"), ("", nil),
            ("/", nil), ("résumé", "rsum"),
        ] as [(String, String?)])
    func fileNames(raw: String, safe: String?) {
        #expect(FileName.sanitised(raw) == safe)
    }
}
