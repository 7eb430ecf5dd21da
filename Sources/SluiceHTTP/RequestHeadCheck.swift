// Checks on a request head that NIO's parser leaves to the server: limits and framing rules.

import NIOHTTP1

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
    /// Whether the client sent `Expect: 100-continue`.
    var expectsContinue: Bool
    /// The origin form and authority of an absolute-form target (Spec HTTP-4).
    var absoluteForm: AbsoluteForm?
}

/// An absolute-form request-target (`http://host/path?query`), split as RFC 9112 section 3.2.2 says.
struct AbsoluteForm {
    /// The path and query, `/` when the target has no path.
    var originForm: String
    /// The host and port, which replace the `Host` field.
    var authority: String

    init?(_ target: String) {
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

/// Applies the limits and the framing rules of RFC 9112 to a request head (Spec ERR-3,
/// HTTP-3, SEC-3, SEC-4). llhttp already rejects Content-Length with Transfer-Encoding,
/// repeated Content-Length, obs-fold, bare CR or LF and invalid characters; these checks
/// cover what it lets through or cannot know.
func check(_ head: HTTPRequestHead, limits: HTTPServerConfiguration.Limits) -> Result<AcceptedHead, Rejection> {
    guard head.version.major == 1, head.version.minor <= 1 else {
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
    guard head.headers.count <= limits.maxHeaderCount else {
        return .failure(Rejection(status: .requestHeaderFieldsTooLarge, reason: "\(head.headers.count) header fields"))
    }
    let headerBytes = head.headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count }
    guard headerBytes <= limits.maxHeaderBytes else {
        return .failure(Rejection(status: .requestHeaderFieldsTooLarge, reason: "\(headerBytes) bytes of header fields"))
    }
    let hosts = head.headers["Host"]
    guard hosts.count <= 1, head.version.minor == 0 || hosts.count == 1 else {
        return .failure(Rejection(status: .badRequest, reason: "\(hosts.count) Host fields"))
    }
    let framing: Result<Int?, Rejection> = bodyFraming(of: head)
    guard case let .success(declaredLength) = framing else {
        return framing.map { _ in AcceptedHead(declaredLength: nil, expectsContinue: false, absoluteForm: nil) }
    }
    if let declaredLength, declaredLength > limits.maxBodyBytes {
        return .failure(Rejection(status: .payloadTooLarge, reason: "Content-Length \(declaredLength)"))
    }
    let expectations = head.headers["Expect"]
    let expectsContinue = expectations.count == 1 && expectations[0].lowercased() == "100-continue"
    guard expectations.isEmpty || expectsContinue else {
        return .failure(Rejection(status: .expectationFailed, reason: "Expect: \(expectations.joined(separator: ", "))"))
    }
    return .success(AcceptedHead(
        declaredLength: declaredLength, expectsContinue: expectsContinue && head.version.minor == 1, absoluteForm: absoluteForm
    ))
}

/// The declared body length, `nil` for chunked or no body; a rejection for any framing a
/// smuggler could read two ways.
private func bodyFraming(of head: HTTPRequestHead) -> Result<Int?, Rejection> {
    let codings = head.headers["Transfer-Encoding"]
    let lengths = head.headers["Content-Length"]
    if !codings.isEmpty {
        // Only a lone `chunked` is unambiguous; HTTP/1.0 has no chunked framing at all.
        guard head.version.minor == 1, lengths.isEmpty, codings.count == 1,
            codings[0].lowercased() == "chunked"
        else {
            return .failure(Rejection(status: .badRequest, reason: "Transfer-Encoding: \(codings.joined(separator: ", "))"))
        }
        return .success(nil)
    }
    guard let length = lengths.first else { return .success(nil) }
    guard lengths.count == 1, !length.isEmpty, length.utf8.count <= 18, length.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
        let value = Int(length)
    else {
        return .failure(Rejection(status: .badRequest, reason: "Content-Length: \(lengths.joined(separator: ", "))"))
    }
    return .success(value)
}
