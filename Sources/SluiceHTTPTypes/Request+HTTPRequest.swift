// Request heads: a Sluice Request to an HTTPRequest and back, with what HTTPTypes lacks passed in.

public import HTTPTypes
public import Sluice
import SluiceGateway

extension HTTPRequest {
    /// The head of `request`: method, scheme, authority, path and header fields.
    ///
    /// - `path` is ``Sluice/Request/target``, the request-target exactly as received.
    /// - `authority` is the first `Host` field, which leaves the header fields (as
    ///   `NIOHTTPTypesHTTP1` does, so an HTTP/1 serialiser does not send it twice); `nil`
    ///   without one. Any further `Host` field stays.
    /// - `headerFields` are every other field in order, names as spelled, repeats kept.
    ///
    /// What HTTPTypes has no place for is dropped: ``Sluice/Request/scriptName`` and
    /// ``Sluice/Request/pathInfo`` (the target keeps the path), the remote address and port,
    /// the server name, port and protocol, ``Sluice/Request/metaVariables``, the body, the
    /// error log, capabilities, configuration and context.
    ///
    /// - Throws: ``HTTPTypesConversionError`` for a method, field, target or scheme that
    ///   HTTPTypes would change.
    public init(_ request: Request) throws(HTTPTypesConversionError) {
        var fields = request.headers.fields
        let host = fields.firstIndex { $0.name.lowercased() == "host" }.map { fields.remove(at: $0) }
        self.init(
            method: try Method(request.method),
            scheme: try HTTPField.checkedValue(request.scheme, of: ":scheme"),
            authority: try host.map { field throws(HTTPTypesConversionError) in try HTTPField.checkedValue(field.value, of: field.name) },
            path: try HTTPField.checkedValue(request.target, of: ":path"),
            headerFields: try HTTPFields(Headers(fields))
        )
    }
}

extension Request {
    /// A request with the head of `request`, and what a server knows beyond it.
    ///
    /// ``target`` is the request's `path`; ``scriptName`` and ``pathInfo`` split its decoded
    /// path at `mount` (Spec REQ-3, REQ-4); ``queryString`` is its query, raw (Spec REQ-5).
    /// The `authority`, when present, becomes a `Host` field placed before the others; the
    /// header fields follow in order, repeats kept.
    ///
    /// - Parameters:
    ///   - request: The head, as an HTTPTypes-based server parsed it.
    ///   - body: The body; its ``RequestBody/expectedLength`` should match any `Content-Length`
    ///     field (Spec REQ-12).
    ///   - mount: The prefix the application is mounted at; `""` for the root.
    ///   - serverName: The host the server answers as; by default the authority's host, else
    ///     `localhost` (Spec HTTP-1).
    ///   - serverPort: The port the request arrived on; by default the authority's port, else
    ///     443 for `https` and 80 otherwise.
    ///   - serverProtocol: The protocol version, which HTTPTypes does not record.
    ///   - remoteAddress: The client's address; empty when unknown (Spec REQ-10).
    ///   - remotePort: The client's port, when known.
    ///   - metaVariables: Server variables no field holds (Spec REQ-11).
    ///   - errorLog: Where the application's diagnostics go (Spec REQ-13); by default nowhere.
    ///   - capabilities: What the server can do (Spec REQ-14).
    /// - Throws: ``HTTPTypesConversionError/missingPath`` without a path (CONNECT);
    ///   ``HTTPTypesConversionError/unsafePath(path:reason:)`` when the path may not reach an
    ///   application (Spec REQ-15; answer 400); ``HTTPTypesConversionError/pathOutsideMount(path:mount:)``
    ///   when the decoded path is not below `mount`.
    public init(
        _ request: HTTPRequest,
        body: RequestBody,
        mountedAt mount: String = "",
        serverName: String? = nil,
        serverPort: Int? = nil,
        serverProtocol: String = "HTTP/1.1",
        remoteAddress: String = "",
        remotePort: Int? = nil,
        metaVariables: [String: String] = [:],
        errorLog: ErrorLog = .discarding,
        capabilities: ServerCapabilities = ServerCapabilities()
    ) throws(HTTPTypesConversionError) {
        guard let target = request.path else { throw .missingPath }
        var headers = Headers()
        if let host = request.authority {
            headers.append(name: "Host", value: host)
        }
        headers.append(contentsOf: Headers(request.headerFields))
        let head = RequestHead(
            method: Method(request.method),
            target: target,
            headers: headers,
            authority: request.authority,
            serverProtocol: serverProtocol,
            scheme: request.scheme ?? "http"
        )
        let split: (scriptName: String, pathInfo: String)
        do {
            split = try head.path(mountedAt: mount)
        } catch {
            switch error {
            case let .unsafePath(_, reason): throw .unsafePath(path: target, reason: reason)
            case let .outsideMount(path, mount): throw .pathOutsideMount(path: path, mount: mount)
            }
        }
        self.init(
            head: head,
            scriptName: split.scriptName,
            pathInfo: split.pathInfo,
            serverName: serverName,
            serverPort: serverPort,
            remoteAddress: remoteAddress,
            remotePort: remotePort,
            metaVariables: metaVariables,
            body: body,
            errorLog: errorLog,
            capabilities: capabilities
        )
    }
}
