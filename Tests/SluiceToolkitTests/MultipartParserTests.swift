// The multipart state machine alone: every way to split the bytes, bombs, truncation, limits.

import Sluice
import SluiceToolkit
import Testing

@Suite("The multipart parser")
struct MultipartParserTests {
    static let body = Array(
        ("preamble to ignore\r\n--XyZ\r\n"
            + "Content-Disposition: form-data; name=\"title\"\r\n\r\n"
            + "Hello\r\n--XyZ\r\n"
            + "Content-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\n"
            + "line one\r\n--XyQ not a boundary\r\r\n--\r\n\r\n--XyZ  \t\r\n"
            + "Content-Disposition: form-data; name=\"empty\"\r\n\r\n"
            + "\r\n--XyZ--\r\nepilogue, ignored\r\n--XyZ\r\n").utf8)

    /// What a body parses to, fed in `chunks`: parts as (headers, body), or the failure.
    static func parse(_ chunks: [[UInt8]], boundary: String = "XyZ", limits: MultipartLimits = MultipartLimits())
        -> Result<[(Headers, [UInt8])], MultipartParser.Failure>
    {
        guard var parser = MultipartParser(boundary: boundary, limits: limits) else { return .failure(.malformed("boundary")) }
        var parts: [(Headers, [UInt8])] = []
        do throws(MultipartParser.Failure) {
            for chunk in chunks {
                parser.append(chunk)
                while let event = try parser.next() {
                    switch event {
                    case let .partBegan(headers): parts.append((headers, []))
                    case let .bodyBytes(bytes): parts[parts.count - 1].1 += bytes
                    case .partEnded, .finished: break
                    }
                }
            }
            try parser.finish()
            return .success(parts)
        } catch {
            return .failure(error)
        }
    }

    @Test("parts, headers and bodies, with a delimiter-like line inside a body and transport padding")
    func wholeBody() throws {
        let parts = try Self.parse([Self.body]).get()
        #expect(parts.count == 3)
        #expect(parts[0].0["Content-Disposition"] == "form-data; name=\"title\"")
        #expect(parts[0].1 == Array("Hello".utf8))
        #expect(parts[1].0["Content-Type"] == "text/plain")
        #expect(parts[1].1 == Array("line one\r\n--XyQ not a boundary\r\r\n--\r\n".utf8))
        #expect(parts[2].1.isEmpty)
    }

    @Test("the same parts whatever the chunking: split at every byte, and one byte at a time")
    func everySplit() throws {
        let whole = try Self.parse([Self.body]).get().map { $0.1 }
        for split in 0...Self.body.count {
            let parts = try Self.parse([Array(Self.body[..<split]), Array(Self.body[split...])]).get()
            #expect(parts.map { $0.1 } == whole, "split at \(split)")
        }
        #expect(try Self.parse(Self.body.map { [$0] }).get().map { $0.1 } == whole)
    }

    @Test("truncated at every byte before the close delimiter: 400 (truncated), never a hang")
    func truncation() {
        let close = Self.body.count - "\r\nepilogue, ignored\r\n--XyZ\r\n".utf8.count
        for end in 0..<close {
            let result = Self.parse([Array(Self.body[..<end])])
            guard case .failure = result else {
                Issue.record("a body cut at \(end) bytes parsed")
                continue
            }
        }
        #expect((try? Self.parse([Array(Self.body[..<close])]).get()) != nil)
    }

    @Test("a body whose boundary never comes is truncated, its bytes handed out as they arrive")
    func boundaryNeverComes() throws {
        guard var parser = MultipartParser(boundary: "b") else { throw HTTPError(.badRequest) }
        parser.append(Array("--b\r\nContent-Disposition: form-data; name=x\r\n\r\n".utf8))
        var handed = 0
        for _ in 0..<100 {
            parser.append([UInt8](repeating: 0x41, count: 10_000))
            while let event = try parser.next() {
                if case let .bodyBytes(bytes) = event { handed += bytes.count }
            }
        }
        #expect(handed >= 1_000_000 - 4)
        #expect(throws: MultipartParser.Failure.truncated) { try parser.finish() }
    }

    @Test("thousands of empty parts stop at maxParts: at the limit passes, one over is refused")
    func emptyPartsBomb() {
        func bomb(_ count: Int) -> [UInt8] {
            Array((String(repeating: "--b\r\n\r\n\r\n", count: count) + "--b--").utf8)
        }
        #expect((try? Self.parse([bomb(5)], boundary: "b", limits: MultipartLimits(maxParts: 5)).get())?.count == 5)
        #expect(throws: MultipartParser.Failure.tooManyParts(limit: 5)) {
            try Self.parse([bomb(6)], boundary: "b", limits: MultipartLimits(maxParts: 5)).get()
        }
        #expect(throws: MultipartParser.Failure.tooManyParts(limit: 1000)) { try Self.parse([bomb(10_000)], boundary: "b").get() }
    }

    @Test("a header block without an end stops at maxPartHeaderBytes: at the limit passes, one over is refused")
    func endlessHeader() throws {
        let limits = MultipartLimits(maxPartHeaderBytes: 40)
        // "A: " + 33 bytes + CRLF + CRLF = 40 bytes of header block.
        let fits = Array(("--b\r\nA: " + String(repeating: "x", count: 33) + "\r\n\r\nbody\r\n--b--").utf8)
        #expect(try Self.parse([fits], boundary: "b", limits: limits).get().count == 1)
        let over = Array(("--b\r\nA: " + String(repeating: "x", count: 34) + "\r\n\r\nbody\r\n--b--").utf8)
        #expect(throws: MultipartParser.Failure.headerTooLarge(limit: 40)) { try Self.parse([over], boundary: "b", limits: limits).get() }
        let endless = [Array("--b\r\nA: ".utf8)] + Array(repeating: [UInt8](repeating: 0x78, count: 1000), count: 100)
        #expect(throws: MultipartParser.Failure.headerTooLarge(limit: 8192)) { try Self.parse(endless, boundary: "b").get() }
    }

    @Test(
        "malformed bodies are refused",
        arguments: [
            "--b\r\nno colon here\r\n\r\nx\r\n--b--",
            "--b\r\n: empty name\r\n\r\nx\r\n--b--",
            "--b\r\nBad Name: v\r\n\r\nx\r\n--b--",
            "--bjunk\r\n\r\nx\r\n--b--",
            "--b\r\n\r\nx\r\n--b?\r\n",
        ])
    func malformed(body: String) {
        guard case .failure(.malformed) = Self.parse([Array(body.utf8)], boundary: "b") else {
            Issue.record("parsed: \(body)")
            return
        }
    }

    @Test("transport padding followed by -- is malformed however the bytes arrive (found by Fuzz/Multipart)")
    func paddingThenDashes() {
        let body = Array("--b\r\nA: b\r\n\r\nx\r\n--b  --b--".utf8)
        for split in 0...body.count {
            guard case .failure(.malformed) = Self.parse([Array(body[..<split]), Array(body[split...])], boundary: "b") else {
                Issue.record("split at \(split) parsed")
                continue
            }
        }
    }

    @Test("boundaries RFC 2046 forbids are refused", arguments: ["", String(repeating: "a", count: 71), "a b ", "a\"b", "a;b", "ü"])
    func invalidBoundary(boundary: String) {
        #expect(MultipartParser(boundary: boundary) == nil)
    }

    @Test("the longest boundary and one with every allowed character work")
    func allowedBoundaries() throws {
        for boundary in [String(repeating: "z", count: 70), "'()+_,-./:=? x"] {
            let body = Array("--\(boundary)\r\nA: b\r\n\r\nhi\r\n--\(boundary)--".utf8)
            #expect(try Self.parse([body], boundary: boundary).get().map { $0.1 } == [Array("hi".utf8)])
        }
    }
}
