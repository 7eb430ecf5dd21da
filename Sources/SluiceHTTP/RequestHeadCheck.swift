// Checks on a request head that NIO's parser leaves to the server: limits and framing rules.

import NIOHTTP1
import Sluice
import SluiceGateway

/// Why a request is answered by the server itself, before the application sees it.
struct Rejection: Error {
    /// The status to answer with.
    var status: HTTPResponseStatus
    /// What was wrong, for the log.
    var reason: String
}

/// What the checks found acceptable: the framing the body will have.
struct AcceptedHead {
    /// The declared `Content-Length`, or `nil` for a chunked body or none.
    var declaredLength: Int?
    /// Whether the body is chunked.
    var isChunked: Bool
    /// The `Host` field's value.
    var host: String?
    /// Whether the client sent `Expect: 100-continue`.
    var expectsContinue: Bool
    /// The origin form and authority of an absolute-form target (Spec HTTP-4).
    var absoluteForm: AbsoluteForm?
    /// Whether the request asks to switch protocols: an `Upgrade` field and a `Connection` that
    /// names `upgrade`. The HTTP decoder parses nothing after such a request (Spec WS-13).
    var asksToUpgrade = false
}

/// An absolute-form request-target (`http://host/path?query`), split as RFC 9112 section 3.2.2 says.
struct AbsoluteForm {
    /// The path and query, `/` when the target has no path.
    var originForm: String
    /// The host and port, which replace the `Host` field.
    var authority: String

    init?(_ target: String) {
        // Nearly every target is in origin form: no lowercased copy for those.
        guard let first = target.utf8.first, first | 0x20 == UInt8(ascii: "h") else { return nil }
        let lowercased = target.prefix(8).lowercased()
        let schemeLength = lowercased.hasPrefix("http://") ? 7 : lowercased.hasPrefix("https://") ? 8 : nil
        guard let schemeLength else { return nil }
        let rest = target.dropFirst(schemeLength)
        let pathStart = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        authority = String(rest[..<pathStart])
        let origin = rest[pathStart...]
        originForm = origin.hasPrefix("/") ? String(origin) : "/" + origin
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
    }
}

/// The fields that decide a request's framing and routing, found in one pass over the head.
struct FramingFields {
    /// Bytes of all field names and values.
    var bytes = 0
    var hostCount = 0
    var host: String?
    var codingCount = 0
    var coding: String?
    var lengthCount = 0
    var length: String?
    var expectationCount = 0
    var expectation: String?
    var hasUpgrade = false
    var connectionNamesUpgrade = false

    init(_ headers: HTTPHeaders) {
        for (name, value) in headers {
            bytes += name.utf8.count + value.utf8.count
            if name.matchesIgnoringCase("host") {
                hostCount += 1
                host = host ?? value.trimmingWhitespace()
            } else if name.matchesIgnoringCase("transfer-encoding") {
                codingCount += 1
                coding = coding ?? value.trimmingWhitespace()
            } else if name.matchesIgnoringCase("content-length") {
                lengthCount += 1
                length = length ?? value.trimmingWhitespace()
            } else if name.matchesIgnoringCase("expect") {
                expectationCount += 1
                expectation = expectation ?? value.trimmingWhitespace()
            } else if name.matchesIgnoringCase("upgrade") {
                hasUpgrade = true
            } else if name.matchesIgnoringCase("connection") {
                connectionNamesUpgrade =
                    connectionNamesUpgrade
                    || value.split(separator: ",").contains { String($0).trimmingWhitespace().matchesIgnoringCase("upgrade") }
            }
        }
    }
}

extension String {
    /// The value without the spaces and tabs around it, which RFC 9110 §5.5 says are not part
    /// of it (llhttp leaves trailing ones in); the string itself when there are none.
    func trimmingWhitespace() -> String {
        func isWhitespace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = utf8.first, let last = utf8.last, isWhitespace(first) || isWhitespace(last) else { return self }
        let bytes = utf8.drop(while: isWhitespace)
        return String(decoding: bytes.prefix(bytes.count - bytes.reversed().prefix(while: isWhitespace).count), as: UTF8.self)
    }
}

extension String {
    /// Whether the string equals `lowercase` (a lowercase ASCII name) when ASCII letters are
    /// compared without case.
    func matchesIgnoringCase(_ lowercase: StaticString) -> Bool {
        guard utf8.count == lowercase.utf8CodeUnitCount else { return false }
        return zip(utf8, UnsafeBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)).allSatisfy { byte, expected in
            byte == expected || (byte | 0x20) == expected && expected >= UInt8(ascii: "a") && expected <= UInt8(ascii: "z")
        }
    }
}

/// Applies the limits and the framing rules of RFC 9112 to a request head (Spec ERR-3,
/// HTTP-3, SEC-3, SEC-4). llhttp already rejects Content-Length with Transfer-Encoding,
/// repeated Content-Length, obs-fold, bare CR or LF and invalid characters; these checks
/// cover what it lets through or cannot know.
func check(_ head: HTTPRequestHead, limits: HTTPServerConfiguration.Limits) -> Result<AcceptedHead, Rejection> {
    // HTTP/2 heads come from HTTP2StreamCodec as version 2.0.
    guard (head.version.major == 1 && head.version.minor <= 1) || head.version.isHTTP2 else {
        return .failure(Rejection(status: .httpVersionNotSupported, reason: "HTTP version \(head.version)"))
    }
    guard head.uri.utf8.count <= limits.maxTargetBytes else {
        return .failure(Rejection(status: .uriTooLong, reason: "request-target of \(head.uri.utf8.count) bytes"))
    }
    guard head.method != .CONNECT else {
        return .failure(Rejection(status: .notImplemented, reason: "CONNECT (no tunnels)"))
    }
    let absoluteForm = AbsoluteForm(head.uri)
    guard head.uri.utf8.first == UInt8(ascii: "/") || absoluteForm != nil || (head.uri == "*" && head.method == .OPTIONS) else {
        return .failure(Rejection(status: .badRequest, reason: "request-target in neither origin nor absolute form"))
    }
    do {
        // Spec REQ-15: no dot segment behind %2F, no control character, reaches the application.
        _ = try RequestTarget(absoluteForm?.originForm ?? head.uri).checkedDecodedPath()
    } catch {
        return .failure(Rejection(status: .badRequest, reason: "request-target path refused: \(error)"))
    }
    guard head.headers.count <= limits.maxHeaderCount else {
        return .failure(Rejection(status: .requestHeaderFieldsTooLarge, reason: "\(head.headers.count) header fields"))
    }
    let fields = FramingFields(head.headers)
    guard fields.bytes <= limits.maxHeaderBytes else {
        return .failure(Rejection(status: .requestHeaderFieldsTooLarge, reason: "\(fields.bytes) bytes of header fields"))
    }
    guard fields.hostCount <= 1, head.version.minor == 0 || fields.hostCount == 1 else {
        return .failure(Rejection(status: .badRequest, reason: "\(fields.hostCount) Host fields"))
    }
    let declaredLength: Int?
    switch bodyFraming(of: fields, version: head.version) {
    case let .success(length): declaredLength = length
    case let .failure(rejection): return .failure(rejection)
    }
    if let declaredLength, declaredLength > limits.maxBodyBytes {
        return .failure(Rejection(status: .payloadTooLarge, reason: "Content-Length \(declaredLength)"))
    }
    let expectsContinue = fields.expectationCount == 1 && fields.expectation?.lowercased() == "100-continue"
    guard fields.expectationCount == 0 || expectsContinue else {
        return .failure(Rejection(status: .expectationFailed, reason: "Expect: \(fields.expectation ?? "")"))
    }
    return .success(
        AcceptedHead(
            declaredLength: declaredLength,
            isChunked: fields.codingCount > 0,
            host: fields.host,
            expectsContinue: expectsContinue && head.version.isHTTP11OrLater,
            absoluteForm: absoluteForm,
            asksToUpgrade: fields.hasUpgrade && fields.connectionNamesUpgrade
        ))
}

/// The declared body length, `nil` for chunked or no body; a rejection for any framing a
/// smuggler could read two ways.
private func bodyFraming(of fields: FramingFields, version: HTTPVersion) -> Result<Int?, Rejection> {
    if let coding = fields.coding {
        // Only a lone `chunked` is unambiguous; HTTP/1.0 has no chunked framing at all. (On an
        // HTTP/2 stream it is HTTP2StreamCodec's note of a body that ends with the stream.)
        guard version.isHTTP11OrLater, fields.lengthCount == 0, fields.codingCount == 1, coding.lowercased() == "chunked" else {
            return .failure(Rejection(status: .badRequest, reason: "Transfer-Encoding: \(coding) (\(fields.codingCount) fields)"))
        }
        return .success(nil)
    }
    guard let length = fields.length else { return .success(nil) }
    guard fields.lengthCount == 1, !length.isEmpty, length.utf8.count <= 18, length.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
        let value = Int(length)
    else {
        return .failure(Rejection(status: .badRequest, reason: "Content-Length: \(length) (\(fields.lengthCount) fields)"))
    }
    return .success(value)
}
