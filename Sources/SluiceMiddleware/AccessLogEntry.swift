// One access log line's fields, and the three ways to write them.

/// What the access log records about one completed request.
public struct AccessLogEntry: Sendable, Equatable {
    /// The client's address (``Sluice/Request/remoteAddress``, after any trusted proxy).
    public var remoteAddress: String
    /// When the request started, in UTC.
    var startTime: WallClockTime
    /// The request method.
    public var method: String
    /// The request-target as received.
    public var target: String
    /// `HTTP/1.1` and the like.
    public var serverProtocol: String
    /// The status sent; `nil` when no response head was sent.
    public var status: Int?
    /// The body bytes sent.
    public var bodyBytesSent: Int
    /// From ``Sluice/Completion/startTime`` to completion.
    public var duration: Duration
    /// The `Referer` field, when sent.
    public var referer: String?
    /// The `User-Agent` field, when sent.
    public var userAgent: String?
    /// The request id, when ``Sluice/Middleware/requestID(header:)`` ran.
    public var requestID: String?
    /// How the request ended when not whole: `client disconnected` or the error.
    public var failure: String?

    /// The status the Common and Combined lines show: the one sent, or — when no head was
    /// sent — 499 if the client went away (nginx's convention) and 500 otherwise.
    public var loggedStatus: Int {
        status ?? (failure == AccessLogEntry.clientDisconnected ? 499 : 500)
    }

    /// The ``failure`` of a request whose client went away.
    public static let clientDisconnected = "client disconnected"

    /// The Common Log Format line:
    /// `127.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET /a HTTP/1.1" 200 2326`.
    public var commonLine: String {
        let bytes = bodyBytesSent == 0 ? "-" : String(bodyBytesSent)
        return "\(Self.escaped(remoteAddress)) - - [\(startTime.commonLogFormat)] \"\(Self.escaped(requestLine))\" \(loggedStatus) \(bytes)"
    }

    /// The Combined Log Format line: the Common line, then `"referer" "user agent"`.
    public var combinedLine: String {
        commonLine + " \"\(Self.escaped(referer ?? "-"))\" \"\(Self.escaped(userAgent ?? "-"))\""
    }

    /// One JSON object with every field; absent ones are `null`, the duration is in seconds.
    public var jsonLine: String {
        let fields: [(String, String)] = [
            ("time", JSONText.string(startTime.iso8601)),
            ("remote_addr", JSONText.string(remoteAddress)),
            ("method", JSONText.string(method)),
            ("target", JSONText.string(target)),
            ("protocol", JSONText.string(serverProtocol)),
            ("status", status.map(String.init) ?? "null"),
            ("bytes_sent", String(bodyBytesSent)),
            ("duration", duration.secondsText),
            ("referer", referer.map(JSONText.string) ?? "null"),
            ("user_agent", userAgent.map(JSONText.string) ?? "null"),
            ("request_id", requestID.map(JSONText.string) ?? "null"),
            ("error", failure.map(JSONText.string) ?? "null"),
        ]
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    private var requestLine: String { "\(method) \(target) \(serverProtocol)" }

    /// A value as Apache writes it between quotes: `"` and `\` escaped with a backslash,
    /// control and non-ASCII bytes as `\xHH`, so that a line is always one line of ASCII.
    static func escaped(_ text: String) -> String {
        // Nearly every value needs nothing escaped, and is then used as it is.
        guard text.utf8.contains(where: { $0 < 0x20 || $0 >= 0x7F || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            return text
        }
        let digits = Array("0123456789abcdef".utf8)
        var bytes = [UInt8]()
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case 0x20..<0x7F:
                bytes.append(byte)
            default:
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "x"), digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// JSON string literals, for every log line the package writes as JSON.
package enum JSONText {
    /// `text` as a JSON string: quotes, backslashes and control characters escaped.
    package static func string(_ text: String) -> String {
        var escaped = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }
}
