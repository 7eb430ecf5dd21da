// A response as the client received it, framing and timing included, for cases to check.

/// One header or trailer field as it arrived.
struct Field: Equatable, Sendable {
    let name: String
    let value: String
}

/// An informational (1xx) response that came before the final one.
struct InterimResponse: Sendable {
    let status: Int
    let fields: [Field]
}

/// How the body of a response was delimited on the wire.
enum Framing: Equatable, Sendable, CustomStringConvertible {
    /// No body: HEAD, 1xx, 204, 304.
    case none
    case contentLength(Int)
    case chunked
    /// Ended by the server closing the connection.
    case untilClose

    var description: String {
        switch self {
        case .none: "no body"
        case .contentLength(let length): "Content-Length: \(length)"
        case .chunked: "chunked"
        case .untilClose: "until close"
        }
    }
}

/// A final response, with the informational responses before it.
struct HTTPResponse: Sendable {
    var version = ""
    var status = 0
    var reason = ""
    var fields: [Field] = []
    var informational: [InterimResponse] = []
    var framing = Framing.none
    var body: [UInt8] = []
    var trailers: [Field] = []
    /// Whether the body ended as its framing says; `false` when the connection closed early —
    /// how a client tells an aborted response (Spec ERR-2).
    var isComplete = true
    /// When body bytes arrived: each moment with the body's length so far.
    var bodyArrivals: [(at: ContinuousClock.Instant, total: Int)] = []

    /// Every value of the fields named `name` (any case), in order.
    func values(_ name: String) -> [String] {
        fields.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    /// The first value of the field named `name`.
    func value(_ name: String) -> String? { values(name).first }

    /// The body as UTF-8 text.
    var text: String { String(decoding: body, as: UTF8.self) }

    /// Whether the server said it closes the connection after this response.
    var closesConnection: Bool {
        let connection = values("Connection").joined(separator: ",").lowercased()
        if connection.contains("close") || framing == .untilClose { return true }
        return version == "HTTP/1.0" && !connection.contains("keep-alive")
    }
}
