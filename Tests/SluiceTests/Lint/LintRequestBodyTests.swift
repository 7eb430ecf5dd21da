// Lint against request bodies that break the Spec as the application reads them (BODY-*).

import Sluice
import Testing

@Suite("Lint: the request body")
struct LintRequestBodyTests {
    /// A request whose body declares `expectedLength` and yields `chunks`.
    static func request(expectedLength: Int?, chunks: [[UInt8]]) -> Request {
        lintRequest { $0.body = RequestBody(expectedLength: expectedLength, source: ChunksSource(chunks: chunks)) }
    }

    @Test("[BODY-3] Lint rejects a body that yields more bytes than expectedLength")
    func longerThanExpected() async {
        let run = await LintedRun(request: Self.request(expectedLength: 2, chunks: [[1, 2, 3]])) { request in
            _ = try await request.body.collect(upTo: 100)
            return .text("read")
        }
        #expect(run.log.rules == ["BODY-3"])
        #expect(run.log.violations.first?.party == .server)
        #expect(run.writer.statusCode == 500)
    }

    @Test("[BODY-4] Lint rejects a body that ends normally before expectedLength")
    func truncatedAsNormalEnd() async {
        let run = await LintedRun(request: Self.request(expectedLength: 3, chunks: [[1]])) { request in
            _ = try await request.body.collect(upTo: 100)
            return .text("read")
        }
        #expect(run.log.rules == ["BODY-4"])
        #expect(run.writer.statusCode == 500)
    }

    @Test("[BODY-4] Lint lets a truncated body fail with RequestBodyError.truncated")
    func truncatedAsError() async {
        struct Truncating: RequestBodySource {
            func next() async throws -> [UInt8]? { throw RequestBodyError.truncated(expected: 3, received: 0) }
        }
        let request = lintRequest { $0.body = RequestBody(expectedLength: 3, source: Truncating()) }
        let run = await LintedRun(request: request) { request in
            await #expect(throws: RequestBodyError.truncated(expected: 3, received: 0)) {
                _ = try await request.body.collect(upTo: 100)
            }
            return .text("gave up")
        }
        #expect(run.log.rules.isEmpty)
        #expect(run.writer.statusCode == 200)
    }

    @Test("[BODY-1] Lint rejects an application that reads the request body twice")
    func readTwice() async {
        let run = await LintedRun(request: lintRequest { $0.body = RequestBody(bytes: [1, 2]) }) { request in
            _ = try await request.body.collect(upTo: 100)
            _ = try await request.body.collect(upTo: 100)
            return .text("read twice")
        }
        #expect(run.log.rules == ["BODY-1"])
        #expect(run.log.violations.first?.party == .application)
        #expect(run.writer.statusCode == 500)
    }

    @Test("[BODY-1] Lint rejects a server that hands over a body it already read")
    func alreadyReadByServer() async throws {
        let body = RequestBody(bytes: [1, 2])
        try await body.discard()
        let run = await LintedRun(request: lintRequest { $0.body = body }) { request in
            _ = try await request.body.collect(upTo: 100)
            return .text("read")
        }
        #expect(run.log.rules == ["BODY-1"])
        #expect(run.log.violations.first?.party == .server)
    }

    @Test("[BODY-3] [BODY-4] Lint lets a body of exactly expectedLength through, in chunks")
    func exactLength() async {
        let run = await LintedRun(request: Self.request(expectedLength: 3, chunks: [[1], [2, 3]])) { request in
            .text("\(try await request.body.collect(upTo: 100).count) bytes")
        }
        #expect(run.log.rules.isEmpty)
        #expect(run.writer.text == "3 bytes")
    }
}
