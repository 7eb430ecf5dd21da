// The record parser in memory: every record type, every padding, every split of the bytes,
// and the records that break the protocol — no sockets.

import Testing

@testable import SluiceFastCGI

/// An event with its bytes copied out, comparable.
enum Seen: Equatable, CustomStringConvertible {
    case begin(id: UInt16, role: UInt16, keeps: Bool)
    case params([UInt8])
    case paramsEnded
    case body([UInt8])
    case bodyEnded
    case bodyWaiting
    case aborted
    case getValues([UInt8])
    case unknownManagement(UInt8)
    case busy(UInt16)
    case protocolError

    init(_ event: InboundRecords.Event) {
        switch event {
        case .needBytes: preconditionFailure("needBytes is not seen")
        case let .begin(begin): self = .begin(id: begin.requestID, role: begin.role, keeps: begin.keepsConnection)
        case let .params(piece): self = .params(Array(piece))
        case .paramsEnded: self = .paramsEnded
        case let .body(piece): self = .body(Array(piece))
        case .bodyEnded: self = .bodyEnded
        case .bodyWaiting: self = .bodyWaiting
        case .aborted: self = .aborted
        case let .getValues(asked): self = .getValues(asked)
        case let .unknownManagementRecord(type): self = .unknownManagement(type)
        case let .beginWhileBusy(id): self = .busy(id)
        case .protocolError: self = .protocolError
        }
    }

    var description: String {
        switch self {
        case let .params(bytes): "params(\(bytes.count) bytes)"
        case let .body(bytes): "body(\(bytes.count) bytes)"
        case let .getValues(bytes): "getValues(\(bytes.count) bytes)"
        default: "\(self)"
        }
    }
}

/// The events `bytes` make when they arrive `chunk` bytes at a time, pieces of one stream
/// joined; parsing stops at the first protocol error.
func events(of bytes: [UInt8], arrivingIn chunk: Int = .max, bodyLimit: Int = .max) -> [Seen] {
    var records = InboundRecords()
    var seen: [Seen] = []
    var offset = 0
    while offset < bytes.count {
        let end = min(bytes.count, offset + max(1, min(chunk, bytes.count)))
        let slice = Array(bytes[offset..<end])
        offset = end
        let stop = slice.withUnsafeBytes { raw -> Bool in
            var input = raw
            while true {
                let event = records.next(from: &input, bodyLimit: bodyLimit)
                if case .needBytes = event {
                    precondition(input.isEmpty, "needBytes with bytes left")
                    return false
                }
                let next = Seen(event)
                switch (seen.last, next) {
                case let (.params(before)?, .params(more)): seen[seen.count - 1] = .params(before + more)
                case let (.body(before)?, .body(more)): seen[seen.count - 1] = .body(before + more)
                default: seen.append(next)
                }
                if next == .protocolError || next == .bodyWaiting { return true }
            }
        }
        if stop { break }
    }
    return seen
}

@Suite("FastCGI records in memory")
struct InboundRecordsTests {
    static let params = FastCGIRecord.pairs(FastCGIRecord.params("GET", "/app/real"))
    static let body = Array("the body".utf8)
    static let asked = FastCGIRecord.pairs([("FCGI_MAX_CONNS", "")])

    /// A request, with every record padded by `padding`, and a management record, an abort
    /// of a request that is not active, and an unknown management type among them.
    static func request(padding: [UInt8]) -> [UInt8] {
        FastCGIRecord.record(.getValues, id: 0, asked, padding: padding)
            + FastCGIRecord.begin(keepConnection: true, padding: padding)
            + FastCGIRecord.record(.params, params, padding: padding)
            + FastCGIRecord.record(.abortRequest, id: 9, padding: padding)
            + FastCGIRecord.record(.params, padding: padding)
            + FastCGIRecord.record(type: 42, id: 0, [1, 2, 3], padding: padding)
            + FastCGIRecord.record(.standardInput, body, padding: padding)
            + FastCGIRecord.record(.standardInput, padding: padding)
    }

    static let expected: [Seen] = [
        .getValues(asked), .begin(id: 1, role: 1, keeps: true), .params(params), .paramsEnded,
        .unknownManagement(42), .body(body), .bodyEnded,
    ]

    /// Padding that looks like records: a BEGIN_REQUEST and params for another path, cut to `length`.
    static func hostilePadding(_ length: Int) -> [UInt8] {
        let lure = FastCGIRecord.begin() + FastCGIRecord.stream(.params, FastCGIRecord.pairs(FastCGIRecord.params("GET", "/app/evil")))
        return Array((0..<((length / lure.count) + 1)).flatMap { _ in lure }.prefix(length))
    }

    @Test("[FCGI-6] padding of every length 0-255 is skipped on every record type, wherever the bytes split")
    func everyPadding() {
        for length in 0...255 {
            let bytes = Self.request(padding: Self.hostilePadding(length))
            for chunk in [Int.max, 7, 1] where chunk != 1 || length % 17 == 0 {
                #expect(events(of: bytes, arrivingIn: chunk) == Self.expected, "padding \(length), chunks of \(chunk)")
            }
        }
    }

    @Test("[FCGI-6] params placed inside FCGI_BEGIN_REQUEST's padding never take effect")
    func paramsInPadding() {
        let lure = FastCGIRecord.stream(.params, FastCGIRecord.pairs(FastCGIRecord.params("GET", "/app/evil")))
        #expect(lure.count <= 255)
        let bytes = FastCGIRecord.begin(padding: lure) + FastCGIRecord.stream(.params, Self.params) + FastCGIRecord.stream(.standardInput, [])
        #expect(events(of: bytes) == [.begin(id: 1, role: 1, keeps: false), .params(Self.params), .paramsEnded, .bodyEnded])
    }

    @Test("[FCGI-2] a management record is given as soon as its content is in, before its padding")
    func noWaitForPadding() {
        let record = FastCGIRecord.getValues(["FCGI_MPXS_CONNS"])
        let withoutPadding = Array(record.prefix(8 + Int(record[4]) << 8 + Int(record[5])))
        #expect(withoutPadding.count < record.count)
        #expect(events(of: withoutPadding) == [.getValues(FastCGIRecord.pairs([("FCGI_MPXS_CONNS", "")]))])
        let unpadded = FastCGIRecord.getValues(["FCGI_MAX_CONNS", "FCGI_MAX_REQS", "FCGI_MPXS_CONNS"])
        #expect(unpadded[6] == 0)
        #expect(events(of: unpadded).count == 1)
    }

    @Test("[FCGI-2] records of requests that are not active are ignored; a second BEGIN_REQUEST is refused")
    func inactiveRequests() {
        let bytes =
            FastCGIRecord.stream(.params, Self.params, id: 3) + FastCGIRecord.record(.abortRequest)
            + FastCGIRecord.begin() + FastCGIRecord.stream(.params, Self.params)
            + FastCGIRecord.begin(id: 2) + FastCGIRecord.record(.standardInput, [1], padding: [])
            + FastCGIRecord.stream(.standardInput, [9], id: 2)
            + FastCGIRecord.record(.standardInput)
        #expect(events(of: bytes) == [.begin(id: 1, role: 1, keeps: false), .params(Self.params), .paramsEnded, .busy(2), .body([1]), .bodyEnded])
    }

    @Test("[FCGI-4] FCGI_ABORT_REQUEST for the active request is seen, padded or not, at every phase")
    func abort() {
        let begin = FastCGIRecord.begin()
        let params = FastCGIRecord.stream(.params, Self.params)
        for padding in [[], [0, 0, 0], [UInt8](repeating: 1, count: 255)] {
            let abort = FastCGIRecord.record(.abortRequest, padding: padding)
            #expect(events(of: begin + abort) == [.begin(id: 1, role: 1, keeps: false), .aborted])
            #expect(events(of: begin + params + abort) == [.begin(id: 1, role: 1, keeps: false), .params(Self.params), .paramsEnded, .aborted])
            #expect(events(of: begin + params + FastCGIRecord.record(.standardInput) + abort).last == .aborted)
        }
    }

    @Test(
        "[FCGI-6] records that break the protocol are errors",
        arguments: [
            ("version 2", [2] + FastCGIRecord.begin().dropFirst()),
            ("BEGIN_REQUEST of 7 bytes", FastCGIRecord.record(.beginRequest, [0, 1, 0, 0, 0, 0, 0])),
            ("BEGIN_REQUEST of 9 bytes", FastCGIRecord.record(.beginRequest, [0, 1, 0, 0, 0, 0, 0, 0, 0])),
            ("STDIN before the params end", FastCGIRecord.begin() + FastCGIRecord.record(.standardInput, [1])),
            ("params after their end", FastCGIRecord.begin() + FastCGIRecord.stream(.params, []) + FastCGIRecord.record(.params, [1, 0, 65])),
            ("a second BEGIN_REQUEST for the active id", FastCGIRecord.begin() + FastCGIRecord.begin()),
            ("STDOUT from the server", FastCGIRecord.begin() + FastCGIRecord.record(.standardOutput, [1])),
            ("an unknown type for the active id", FastCGIRecord.begin() + FastCGIRecord.record(type: 77, [1])),
            (
                "STDIN after its end",
                FastCGIRecord.begin() + FastCGIRecord.stream(.params, []) + FastCGIRecord.stream(.standardInput, []) + FastCGIRecord.record(.standardInput, [1])
            ),
        ] as [(String, [UInt8])])
    func protocolErrors(_ name: String, _ bytes: [UInt8]) {
        #expect(events(of: bytes).last == .protocolError, "\(name)")
        #expect(events(of: bytes, arrivingIn: 1).last == .protocolError, "\(name), byte by byte")
    }

    @Test("a body limit of 0 stops before body content, which stays unread")
    func bodyWaiting() {
        let bytes = FastCGIRecord.begin() + FastCGIRecord.stream(.params, []) + FastCGIRecord.record(.standardInput, [1, 2, 3])
        #expect(events(of: bytes, bodyLimit: 0) == [.begin(id: 1, role: 1, keeps: false), .paramsEnded, .bodyWaiting])
        var records = InboundRecords()
        bytes.withUnsafeBytes { raw in
            var input = raw
            while case .begin = records.next(from: &input, bodyLimit: 0) {}
            guard case .bodyWaiting = records.next(from: &input, bodyLimit: 0) else {
                Issue.record("no bodyWaiting")
                return
            }
            // The content and its padding.
            #expect(input.count == 8)
            if case let .body(piece) = records.next(from: &input, bodyLimit: 2) { #expect(Array(piece) == [1, 2]) } else { Issue.record("no body") }
            if case let .body(piece) = records.next(from: &input, bodyLimit: 2) { #expect(Array(piece) == [3]) } else { Issue.record("no body") }
        }
    }

    @Test("a request id is active from BEGIN_REQUEST until the responder ends it")
    func phases() {
        var records = InboundRecords()
        let bytes = FastCGIRecord.begin(id: 7) + FastCGIRecord.stream(.params, [], id: 7) + FastCGIRecord.stream(.standardInput, [], id: 7)
        bytes.withUnsafeBytes { raw in
            var input = raw
            _ = records.next(from: &input, bodyLimit: .max)
            #expect(records.phase == .params(requestID: 7))
            _ = records.next(from: &input, bodyLimit: .max)
            #expect(records.phase == .body(requestID: 7))
            _ = records.next(from: &input, bodyLimit: .max)
            #expect(records.phase == .bodyEnded(requestID: 7))
        }
        records.endRequest()
        #expect(records.phase == .idle)
        #expect(records.activeRequestID == nil)
    }

    @Test("[FCGI-7] a request ended in the middle of a STDIN record: the rest of it and its later records are skipped, and the same id begins again")
    func endedInsideABodyRecord() {
        var records = InboundRecords()
        let first =
            FastCGIRecord.begin(keepConnection: true) + FastCGIRecord.stream(.params, [])
            + FastCGIRecord.record(.standardInput, Array("helloEXTRA".utf8), padding: [0, 0, 0])
        let rest = FastCGIRecord.record(.standardInput, [9, 9]) + FastCGIRecord.begin(keepConnection: true)
        first.withUnsafeBytes { raw in
            var input = raw
            _ = records.next(from: &input, bodyLimit: .max)
            _ = records.next(from: &input, bodyLimit: .max)
            if case let .body(piece) = records.next(from: &input, bodyLimit: 5) {
                #expect(Array(piece) == Array("hello".utf8))
            } else {
                Issue.record("no body")
            }
            records.endRequest()
            guard case .needBytes = records.next(from: &input, bodyLimit: .max) else {
                Issue.record("the rest was not skipped")
                return
            }
            #expect(input.isEmpty)
        }
        rest.withUnsafeBytes { raw in
            var input = raw
            guard case let .begin(begin) = records.next(from: &input, bodyLimit: .max) else {
                Issue.record("no begin")
                return
            }
            #expect(begin.requestID == 1 && begin.keepsConnection)
        }
    }
}
