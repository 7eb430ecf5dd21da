// The head of an HTTP request as a server read it, and the one mapping from it to a Request.

public import Sluice

/// The head of an HTTP request, as an HTTP server (or a test client playing one) read it:
/// what ``Sluice/Request/init(head:scriptName:pathInfo:serverName:serverPort:local:remoteAddress:remotePort:metaVariables:body:errorLog:capabilities:)``
/// maps to a request (Spec HTTP-1, H2-1, REQ-3 to REQ-9).
public struct RequestHead: Sendable {
    /// The method.
    public var method: Request.Method
    /// The request-target in origin form, exactly as received.
    public var target: String
    /// The header fields, in order, `Host` among them.
    public var headers: Headers
    /// The `Host` field's value, or HTTP/2's `:authority`; `nil` without one.
    public var authority: String?
    /// The protocol, such as `HTTP/1.1`.
    public var serverProtocol: String
    /// `http` or `https`, as the connection the request came on (Spec REQ-9).
    public var scheme: String

    /// A head from its parts.
    public init(method: Request.Method, target: String, headers: Headers, authority: String?, serverProtocol: String, scheme: String) {
        self.method = method
        self.target = target
        self.headers = headers
        self.authority = authority
        self.serverProtocol = serverProtocol
        self.scheme = scheme
    }

    /// The target's decoded path split at `mount` into scriptName and pathInfo (Spec REQ-3,
    /// REQ-4), or why the request must be refused: a path no application may be handed (Spec
    /// REQ-15; answer 400), or one outside the mount.
    public func path(mountedAt mount: String) throws(RequestHeadError) -> (scriptName: String, pathInfo: String) {
        let path: String
        do {
            path = try RequestTarget(target).checkedDecodedPath()
        } catch {
            throw .unsafePath(target: target, reason: error)
        }
        guard let split = Mount.split(path, at: mount) else { throw .outsideMount(path: path, mount: mount) }
        return split
    }
}

/// Why a request head maps to no request.
public enum RequestHeadError: Error, Hashable, Sendable {
    /// The target's path may not reach an application (Spec REQ-15): answer 400.
    case unsafePath(target: String, reason: UnsafePath)
    /// The decoded path is not below the mount.
    case outsideMount(path: String, mount: String)
}

extension Request {
    /// The request `head` describes (Spec HTTP-1, H2-1): the target as received, its raw query,
    /// the fields in order; `serverName` and `serverPort` from the head's authority (Spec REQ-8,
    /// ``Authority/server(of:defaultPort:local:)``) unless given, falling back to `local`, the
    /// address the request arrived at.
    ///
    /// - Parameters:
    ///   - scriptName: Where the application is mounted (``RequestHead/path(mountedAt:)``).
    ///   - pathInfo: The decoded path below it.
    public init(
        head: RequestHead,
        scriptName: String = "",
        pathInfo: String,
        serverName: String? = nil,
        serverPort: Int? = nil,
        local: (host: String, port: Int)? = nil,
        remoteAddress: String = "",
        remotePort: Int? = nil,
        metaVariables: [String: String] = [:],
        body: RequestBody,
        errorLog: ErrorLog = .discarding,
        capabilities: ServerCapabilities = ServerCapabilities()
    ) {
        var server: (name: String, port: Int)?
        if serverName == nil || serverPort == nil {
            server = Authority.server(of: head.authority, defaultPort: head.scheme == "https" ? 443 : 80, local: local)
        }
        self.init(
            method: head.method,
            target: head.target,
            scriptName: scriptName,
            pathInfo: pathInfo,
            queryString: String(RequestTarget(head.target).query),
            headers: head.headers,
            serverName: serverName ?? server?.name ?? "localhost",
            serverPort: serverPort ?? server?.port ?? 80,
            serverProtocol: head.serverProtocol,
            scheme: head.scheme,
            remoteAddress: remoteAddress,
            remotePort: remotePort,
            metaVariables: metaVariables,
            body: body,
            errorLog: errorLog,
            capabilities: capabilities
        )
    }
}
