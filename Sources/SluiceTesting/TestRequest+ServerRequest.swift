// How the test server turns a test's request into the Request an application receives.

import Sluice
import SluiceGateway

extension TestRequest {
    /// The request as an HTTP/1.1 server hands it over (Spec REQ-1 to REQ-12, HTTP-1): the
    /// target as given, its decoded path split at the mount, its raw query, a `Host` field
    /// first unless the test set one, and the framing field the body needs. A target whose path
    /// no application may be handed is a ``Rejection``: 400, as a server answers it (Spec REQ-15).
    func serverRequest(
        body: RequestBody, errorLog: ErrorLog, capabilities: ServerCapabilities
    ) throws(TestClientError) -> Result<Request, Rejection> {
        let head = RequestHead(
            method: method, target: target, headers: headersAsSent, authority: nil, serverProtocol: "HTTP/1.1", scheme: scheme
        )
        let split: (scriptName: String, pathInfo: String)
        do {
            split = try head.path(mountedAt: mount)
        } catch {
            switch error {
            case let .unsafePath(_, reason):
                return .failure(Rejection(status: .badRequest, reason: "the target \(String(reflecting: target)) is refused: \(reason)"))
            case .outsideMount:
                throw .targetOutsideMount(target: target, mount: mount)
            }
        }
        return .success(
            Request(
                head: head,
                scriptName: split.scriptName,
                pathInfo: split.pathInfo,
                serverName: host.name,
                serverPort: host.port ?? (scheme == "https" ? 443 : 80),
                remoteAddress: remote.address,
                remotePort: remote.port,
                body: body,
                errorLog: errorLog,
                capabilities: capabilities
            ))
    }

    /// The length the body declares: its size for bytes, the given length for a stream,
    /// zero without a body (RFC 9112 section 6.3).
    var declaredLength: Int? {
        switch body {
        case nil: 0
        case let .bytes(bytes): bytes.count
        case let .stream(_, length): length
        }
    }

    /// The test's fields, with `Host` before them and the body's framing field after them,
    /// each unless the test set it itself.
    private var headersAsSent: Headers {
        var sent = Headers()
        if !headers.contains("Host") {
            sent.append(name: "Host", value: hostField)
        }
        sent.append(contentsOf: headers)
        if body != nil, !headers.contains("Content-Length"), !headers.contains("Transfer-Encoding") {
            if let declaredLength {
                sent.append(name: "Content-Length", value: String(declaredLength))
            } else {
                sent.append(name: "Transfer-Encoding", value: "chunked")
            }
        }
        return sent
    }

    /// `name[:port]`, with an IPv6 address in brackets.
    private var hostField: String {
        let name = host.name.contains(":") ? "[\(host.name)]" : host.name
        return host.port.map { "\(name):\($0)" } ?? name
    }
}
