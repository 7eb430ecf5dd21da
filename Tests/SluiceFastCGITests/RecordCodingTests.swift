// The params, the management answers and the output records in memory: limits ±1, hostile
// lengths, and the bytes a responder sends.

import Sluice
import Testing

@testable import SluiceFastCGI

@Suite("FastCGI params and replies in memory")
struct RecordCodingTests {
    /// The outcome of params `pairs` sent in `pieces` pieces, under the limits.
    static func collect(_ stream: [UInt8], maximumLength: Int = 128 * 1024, maximumCount: Int = 256, pieces: Int = 1) -> ParamsCollector.Outcome {
        var collector = ParamsCollector(maximumLength: maximumLength, maximumCount: maximumCount)
        collector.reset()
        let size = max(1, stream.count / pieces)
        var offset = 0
        while offset < stream.count {
            let end = min(stream.count, offset + size)
            Array(stream[offset..<end]).withUnsafeBytes { collector.append($0) }
            offset = end
        }
        var entries: [UInt8] = []
        var ends: [Int] = []
        return collector.variables(entries: &entries, ends: &ends)
    }

    static func status(_ outcome: ParamsCollector.Outcome) -> Int? {
        if case let .rejected(rejection) = outcome { rejection.status.code } else { nil }
    }

    static func variables(_ outcome: ParamsCollector.Outcome) -> [(name: String, value: String)]? {
        if case let .variables(variables) = outcome { variables.pairs } else { nil }
    }

    @Test("[FCGI-6] [SEC-3] params of exactly the byte limit pass; one byte more is 431")
    func byteLimit() {
        // Names and values count, the lengths before them do not.
        let exact = FastCGIRecord.pairs([("HTTP_A", String(repeating: "a", count: 994))])
        #expect(Self.variables(Self.collect(exact, maximumLength: 1000))?.last?.value.count == 994)
        let over = FastCGIRecord.pairs([("HTTP_A", String(repeating: "a", count: 995))])
        #expect(Self.status(Self.collect(over, maximumLength: 1000)) == 431)
        #expect(Self.status(Self.collect(over, maximumLength: 1000, pieces: 50)) == 431)
    }

    @Test("[FCGI-6] [SEC-3] params of exactly the pair limit pass; one pair more is 431")
    func countLimit() {
        let pairs = (0..<10).map { ("HTTP_X_\($0)", "v") }
        #expect(Self.variables(Self.collect(FastCGIRecord.pairs(pairs), maximumCount: 10))?.count == 11)
        #expect(Self.status(Self.collect(FastCGIRecord.pairs(pairs + [("HTTP_Y", "")]), maximumCount: 10)) == 431)
    }

    @Test("[FCGI-6] params past what any params within the limits take are dropped as they arrive, not kept")
    func floodIsNotKept() {
        var collector = ParamsCollector(maximumLength: 1000, maximumCount: 10)
        let piece = [UInt8](repeating: 0x41, count: 4096)
        piece.withUnsafeBytes { piece in
            for _ in 0..<1000 { collector.append(piece) }
        }
        #expect(collector.receivedLength == 4_096_000)
        var entries: [UInt8] = []
        var ends: [Int] = []
        let outcome = collector.variables(entries: &entries, ends: &ends)
        #expect(Self.status(outcome) == 431)
        #expect(entries.capacity < 4096)
    }

    @Test("[FCGI-6] a length pointing past the params is malformed, at every length")
    func lengthsPastTheEnd() {
        let whole = FastCGIRecord.pairs([("REQUEST_METHOD", "GET"), ("LONG", String(repeating: "x", count: 300))])
        for cut in 1..<whole.count {
            guard case .malformed = Self.collect(Array(whole.prefix(cut))) else {
                // A cut that ends exactly after a whole pair is well-formed.
                #expect(cut == 2 + 14 + 3, "cut at \(cut)")
                continue
            }
        }
        // CVE-2025-23016's shape: a 2 GiB value announced in a few bytes.
        let bogus = FastCGIRecord.length(4) + FastCGIRecord.length(0x7FFF_FFF0) + Array("NAMExyz".utf8)
        guard case .malformed = Self.collect(bogus) else {
            Issue.record("a 2 GiB length was not refused")
            return
        }
    }

    @Test("[CGI-9] FCGI_ROLE comes first; CONTENT_LENGTH=-1 is empty; a name holding = is dropped; repeats stay")
    func variablesFromPairs() {
        let stream = FastCGIRecord.pairs([
            ("CONTENT_LENGTH", "-1"), ("HTTP_X", "1"), ("A=B", "c"), ("HTTP_X", "2"), ("EMPTY", ""),
        ])
        let pairs = Self.variables(Self.collect(stream, pieces: 7))
        #expect(pairs?.map(\.name) == ["FCGI_ROLE", "CONTENT_LENGTH", "HTTP_X", "HTTP_X", "EMPTY"])
        #expect(pairs?.map(\.value) == ["RESPONDER", "", "1", "2", ""])
    }

    @Test("[FCGI-2] FCGI_GET_VALUES is answered with each known name once, in the order asked")
    func valuesResult() throws {
        let values = ManagementValues(maximumConnections: 2048, maximumRequests: 64)
        // libfcgi 2.4.2 wrote each repeat into a 64-byte stack buffer: six repeats crashed it.
        let asked = FastCGIRecord.pairs(
            (0..<100).map { _ in ("FCGI_MAX_CONNS", "") } + [("FCGI_UNKNOWN", ""), ("FCGI_MAX_REQS", "x"), ("FCGI_MPXS_CONNS", "")]
        )
        let reply = try #require(ManagementReplies.valuesResult(asked: asked, values: values))
        var result = FastCGIReply(requestID: 0)
        #expect(result.consume(reply) == reply.count)
        let record = try #require(result.management(.getValuesResult))
        #expect(reply.count % 8 == 0)
        let pairs = try #require(FastCGIRecord.decodePairs(record.content))
        #expect(pairs.map(\.0) == ["FCGI_MAX_CONNS", "FCGI_MAX_REQS", "FCGI_MPXS_CONNS"])
        #expect(pairs.map(\.1) == ["2048", "64", "0"])
        #expect(ManagementReplies.valuesResult(asked: [14, 1, 65], values: values) == nil)
    }

    @Test("[FCGI-2] an unknown management type and a refused request get their records")
    func otherReplies() {
        #expect(ManagementReplies.unknownType(42) == FastCGIRecord.record(.unknownType, id: 0, [42, 0, 0, 0, 0, 0, 0, 0]))
        #expect(ManagementReplies.endRequest(5, .unknownRole) == FastCGIRecord.record(.endRequest, id: 5, [0, 0, 0, 0, 3, 0, 0, 0]))
    }

    @Test("[FCGI-5] a response ends with the empty FCGI_STDOUT record, the empty FCGI_STDERR record when errors were written, and END_REQUEST")
    func ending() {
        let output = OutputRecords()
        output.start(requestID: 3)
        #expect(Array("Status: 200 OK\r\n\r\nhi".utf8).withUnsafeBytes { output.appendOutput($0) })
        #expect(Array("more".utf8).withUnsafeBytes { output.appendOutput($0) })
        #expect(Array("a log line\n".utf8).withUnsafeBytes { output.appendError($0) } == 11)
        output.appendEnding()
        var reply = FastCGIReply(requestID: 3)
        let bytes = Array(output.completeRecords())
        #expect(reply.consume(bytes) == bytes.count)
        #expect(reply.records.map(\.kind) == [.standardOutput, .standardError, .standardOutput, .standardError, .endRequest])
        #expect(String(decoding: reply.output, as: UTF8.self) == "Status: 200 OK\r\n\r\nhimore")
        #expect(reply.errors == "a log line\n")
        #expect(reply.endings == [RequestEnding(id: 3, appStatus: 0, protocolStatus: 0)])
        output.start(requestID: 1)
        output.appendEnding()
        #expect(Array(output.completeRecords()) == FastCGIRecord.record(.standardOutput) + FastCGIRecord.record(.endRequest, [0, 0, 0, 0, 0, 0, 0, 0]))
    }

    @Test("bytes that do not fit the output buffer are refused whole")
    func outputBufferBounds() {
        let output = OutputRecords()
        output.start(requestID: 1)
        let big = [UInt8](repeating: 1, count: OutputRecords.capacity)
        #expect(!big.withUnsafeBytes { output.appendOutput($0) })
        #expect(output.isEmpty)
        #expect(Array(big.prefix(OutputRecords.capacity - 8)).withUnsafeBytes { output.appendOutput($0) })
        #expect(!output.endingFits)
    }
}
