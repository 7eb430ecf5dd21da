// The request an application receives: what the server saw, in CGI's terms, plus a body stream.

/// One HTTP request, as a server hands it to an ``Application``.
///
/// The fields follow CGI/1.1 (RFC 3875) so that every adapter — CGI, FastCGI or HTTP — fills
/// them the same way (Spec REQ-1 to REQ-14). ``scriptName`` and ``pathInfo`` are decoded paths:
/// ``scriptName`` is where the application is mounted, ``pathInfo`` the rest. ``target`` keeps the
/// request-target exactly as the client sent it, for anything decoding loses (an encoded `/`).
///
/// A `Request` is a value; copies share one ``body`` (read once) and one ``context``.
public struct Request: Sendable {
    /// The request method (REQUEST_METHOD).
    public var method: Method
    /// The request-target exactly as received, percent-encoding and query included (REQUEST_URI).
    public var target: String
    /// The decoded path at which the application is mounted: empty, or `/` followed by more (SCRIPT_NAME).
    public var scriptName: String
    /// The decoded remainder of the path below ``scriptName``: empty, or starting with `/` (PATH_INFO).
    public var pathInfo: String
    /// The query, still percent-encoded, without the `?`; empty when there is none (QUERY_STRING).
    public var queryString: String
    /// The request header fields, in order, duplicates kept.
    public var headers: Headers
    /// The host name the server answers as (SERVER_NAME).
    public var serverName: String
    /// The port the request arrived on (SERVER_PORT).
    public var serverPort: Int
    /// The protocol of the request, such as `HTTP/1.1` (SERVER_PROTOCOL).
    public var serverProtocol: String
    /// `http` or `https`, as the last hop to the server used (REQUEST_SCHEME, HTTPS).
    public var scheme: String
    /// The address of the client, or of the last proxy (REMOTE_ADDR).
    public var remoteAddress: String
    /// The client's port, when the server knows it (REMOTE_PORT).
    public var remotePort: Int?
    /// The meta-variables the server passed that no field above holds (DOCUMENT_ROOT, SSL_*, ...).
    ///
    /// A request built from CGI or FastCGI variables gathers them when this is read, each time:
    /// keep the dictionary in a constant to look up several.
    public var metaVariables: [String: String] {
        get { metaVariableStorage.dictionary }
        set { metaVariableStorage = .dictionary(newValue) }
    }
    /// ``metaVariables`` as held.
    package var metaVariableStorage: MetaVariableStorage
    /// The request body: a single-pass stream of bytes.
    public var body: RequestBody
    /// Where the application writes diagnostics; the server routes them to its error log.
    public var errorLog: ErrorLog
    /// What the server hosting the application can do.
    public var capabilities: ServerCapabilities
    /// Configuration of the application handling this request, set by ``Application/configured(_:)``.
    public var configuration: Configuration
    /// Request-scoped storage and completion hooks, shared by every copy of this request.
    public let context: RequestContext

    /// Creates a request. Servers and tests call this; applications receive requests.
    ///
    /// A server passes its error channel as `errorLog` (Spec REQ-13); without one, the
    /// request's messages are dropped (``ErrorLog/discarding``): the core has no file of its own to write to.
    public init(
        method: Method,
        target: String,
        scriptName: String = "",
        pathInfo: String,
        queryString: String = "",
        headers: Headers = Headers(),
        serverName: String = "localhost",
        serverPort: Int = 80,
        serverProtocol: String = "HTTP/1.1",
        scheme: String = "http",
        remoteAddress: String = "127.0.0.1",
        remotePort: Int? = nil,
        metaVariables: [String: String] = [:],
        body: RequestBody = .empty,
        errorLog: ErrorLog = .discarding,
        capabilities: ServerCapabilities = ServerCapabilities(),
        configuration: Configuration = Configuration()
    ) {
        self.init(
            method: method, target: target, scriptName: scriptName, pathInfo: pathInfo, queryString: queryString,
            headers: headers, serverName: serverName, serverPort: serverPort, serverProtocol: serverProtocol,
            scheme: scheme, remoteAddress: remoteAddress, remotePort: remotePort,
            metaVariableStorage: .dictionary(metaVariables), body: body, errorLog: errorLog,
            capabilities: capabilities, configuration: configuration
        )
    }

    /// Creates a request whose ``metaVariables`` come from `metaVariableStorage`: for the
    /// server-side mappings, which build every field themselves.
    package init(
        method: Method,
        target: String,
        scriptName: String,
        pathInfo: String,
        queryString: String,
        headers: Headers,
        serverName: String,
        serverPort: Int,
        serverProtocol: String,
        scheme: String,
        remoteAddress: String,
        remotePort: Int?,
        metaVariableStorage: MetaVariableStorage,
        body: RequestBody,
        errorLog: ErrorLog,
        capabilities: ServerCapabilities,
        configuration: Configuration
    ) {
        self.method = method
        self.target = target
        self.scriptName = scriptName
        self.pathInfo = pathInfo
        self.queryString = queryString
        self.headers = headers
        self.serverName = serverName
        self.serverPort = serverPort
        self.serverProtocol = serverProtocol
        self.scheme = scheme
        self.remoteAddress = remoteAddress
        self.remotePort = remotePort
        self.metaVariableStorage = metaVariableStorage
        self.body = body
        self.errorLog = errorLog
        self.capabilities = capabilities
        self.configuration = configuration
        self.context = RequestContext()
    }

    /// The decoded path the client asked for: ``scriptName`` followed by ``pathInfo``.
    public var path: String { scriptName + pathInfo }

    /// Registers a hook that runs once the response is complete or abandoned (Spec LIFE-3).
    ///
    /// Hooks run exactly once, in reverse order of registration, after the last byte was
    /// handed to the server, or after the client went away or the application failed.
    public func onCompletion(_ hook: @escaping @Sendable (Completion) async -> Void) {
        context.onCompletion(hook)
    }
}
