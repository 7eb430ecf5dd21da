// Every pipelining combination of requests in flight, rejected, unparseable and closing, in
// memory and byte for byte (Spec HTTP-2, HTTP-3, SEC-4).

import Sluice
import Testing

@Suite("Pipelined sequences, in memory")
struct PipeliningSequenceTests {
    /// A request as a pipelining client sends it, and what the server must do with it.
    enum Kind: String, CaseIterable, CustomTestStringConvertible, Sendable {
        /// Answered by an application that is still running when the next requests arrive.
        case inFlight
        /// Answered 400 by the server itself (two `Host` fields), which then closes.
        case rejected
        /// Bytes the parser rejects: 400, then the close.
        case unparseable
        /// A request with `Connection: close`: answered, then the close.
        case closing

        var testDescription: String { rawValue }

        var bytes: String {
            switch self {
            case .inFlight: "GET /slow HTTP/1.1\r\nHost: a\r\n\r\n"
            case .rejected: "GET /rejected HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"
            case .unparseable: "GARBAGE\r\n\r\n"
            case .closing: "GET /close HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
            }
        }

        /// The response it gets.
        var response: String {
            switch self {
            case .inFlight: textResponse("slow\n")
            case .rejected, .unparseable: serverResponse("400 Bad Request")
            case .closing: textResponse("GET /close\n", closes: true)
            }
        }

        /// The path the application runs for it, if it runs.
        var path: String? {
            switch self {
            case .inFlight: "/slow"
            case .closing: "/close"
            case .rejected, .unparseable: nil
            }
        }

        /// Whether nothing after it may be answered.
        var endsTheConnection: Bool { self != .inFlight }
    }

    /// Every sequence of one to three kinds.
    static let sequences: [[Kind]] = {
        var all = Kind.allCases.map { [$0] }
        for _ in 1..<3 {
            all += all.filter { $0.count == all.last!.count }.flatMap { prefix in Kind.allCases.map { prefix + [$0] } }
        }
        return all
    }()

    static let after = "GET /after HTTP/1.1\r\nHost: a\r\n\r\n"

    @Test(
        "[HTTP-2] [HTTP-8] [SEC-4] pipelined behind in-flight, rejected, unparseable or closing requests: responses in order, nothing after the end",
        arguments: sequences)
    func sequence(_ kinds: [Kind]) throws {
        let journal = Journal()
        let gate = Gate()
        let connection = try EmbeddedConnection(
            App { request in
                journal.record(request.pathInfo)
                if request.pathInfo == "/slow" {
                    await gate.wait()
                    return .text("slow\n")
                }
                return .text("\(request.method) \(request.pathInfo)\n")
            })
        try connection.send(kinds.map(\.bytes).joined() + Self.after)
        gate.open()
        connection.run()

        let answered = kinds.prefix { !$0.endsTheConnection } + kinds.drop { !$0.endsTheConnection }.prefix(1)
        let endsTheConnection = answered.last?.endsTheConnection ?? false
        let expected = answered.map(\.response).joined() + (endsTheConnection ? "" : textResponse("GET /after\n"))
        #expect(connection.output() == expected)
        #expect(connection.isClosed == endsTheConnection)
        #expect(journal.entries == answered.compactMap(\.path) + (endsTheConnection ? [] : ["/after"]))
    }
}
