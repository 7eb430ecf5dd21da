// How a CGI program is started and ends: the variables it needs, its lifecycle, a client that
// goes away (Spec CGI-1, LIFE-*, REQ-13, REQ-14).

import Glibc
import Sluice
import SluiceCGI
import Synchronization
import Testing

@Suite("CGI invocation and lifecycle")
struct InvocationTests {
    static let hello = App { _ in .text("hello") }

    @Test("[CGI-13] not started as CGI (none of the CGI request variables): usage on the log, exit status 2, nothing written")
    func notCGI() async {
        let exchange = await CGIExchange.run(Self.hello, ["PATH": "/usr/bin", "SERVER_SOFTWARE": "x"], onlyVariables: true)
        #expect(exchange.exitStatus == 2)
        #expect(exchange.output.isEmpty)
        #expect(exchange.log.contains { $0.contains("This is a CGI program") })
    }

    @Test(
        "[CGI-13] [CGI-1] any one CGI request variable, even empty, makes a request; without a REQUEST_METHOD it is answered 500",
        arguments: CGI.requestVariableNames)
    func recognised(name: String) async {
        let exchange = await CGIExchange.run(Self.hello, [name: ""], onlyVariables: true)
        #expect(exchange.exitStatus == 0)
        #expect(exchange.status == 500)
    }

    @Test("[CGI-13] h2o's CGI variables, with no GATEWAY_INTERFACE, are a request")
    func h2oVariables() async {
        let exchange = await CGIExchange.run(
            Self.hello,
            [
                "REQUEST_METHOD": "GET", "SCRIPT_NAME": "/app.cgi", "PATH_INFO": "/x", "REQUEST_URI": "/app.cgi/x", "QUERY_STRING": "",
            ], onlyVariables: true)
        #expect(exchange.status == 200)
        #expect(exchange.body == "hello")
    }

    @Test(
        "[REQ-15] [ERR-3] a path no application may be handed is answered 400 and logged, the application not called",
        arguments: [
            ["REQUEST_URI": "/app/%2e%2e%2f%2e%2e%2fetc/passwd", "PATH_INFO": "/../../etc/passwd"],
            ["REQUEST_URI": "/app/%2e%2e/%2e%2e/etc/passwd", "PATH_INFO": "/../../etc/passwd"],
            ["REQUEST_URI": "/app/x%00", "PATH_INFO": "/x\u{0}"],
            ["REQUEST_URI": nil, "PATH_INFO": "/a/../../b"],
        ] as [[String: String?]])
    func unsafePath(variables: [String: String?]) async {
        let called = Mutex(false)
        let app = App { _ in
            called.withLock { $0 = true }
            return .text("called")
        }
        let exchange = await CGIExchange.run(app, variables)
        #expect(exchange.status == 400)
        #expect(!called.withLock { $0 })
        #expect(exchange.exitStatus == 0)
        #expect(exchange.log.contains { $0.contains("refused") && !$0.contains("\u{0}") })
    }

    @Test("[CGI-1] a missing REQUEST_METHOD is answered 500: the server is misconfigured")
    func missingMethod() async {
        let exchange = await CGIExchange.run(Self.hello, ["REQUEST_METHOD": nil])
        #expect(exchange.status == 500)
        #expect(exchange.exitStatus == 0)
        #expect(exchange.log.contains { $0.contains("REQUEST_METHOD") })
    }

    @Test("[CGI-1] [ERR-3] a REQUEST_METHOD that is not a token is answered 400 and logged")
    func invalidMethod() async {
        let exchange = await CGIExchange.run(Self.hello, ["REQUEST_METHOD": "GE T"])
        #expect(exchange.status == 400)
        #expect(exchange.body == "400 Bad Request\n")
        #expect(exchange.log.contains { $0.contains("REQUEST_METHOD") })
    }

    @Test("[REQ-14] capabilities: run once, not concurrent, multiprocess, no trailers or 1xx")
    func capabilities() async {
        let seen = Mutex<ServerCapabilities?>(nil)
        _ = await CGIExchange.run(
            App { request in
                seen.withLock { $0 = request.capabilities }
                return .text("ok")
            })
        let capabilities = seen.withLock { $0 }
        #expect(capabilities == CGI.capabilities)
        #expect(capabilities?.isRunOnce == true && capabilities?.isConcurrent == false)
        #expect(capabilities?.isMultiprocess == true)
        #expect(capabilities?.supportsTrailers == false && capabilities?.supportsInformationalResponses == false)
    }

    /// The CGI variables of a WebSocket handshake to `path` below the mount.
    static func handshake(_ path: String) -> [String: String?] {
        [
            "PATH_INFO": path, "REQUEST_URI": "/app\(path)", "HTTP_UPGRADE": "websocket", "HTTP_CONNECTION": "Upgrade",
            "HTTP_SEC_WEBSOCKET_KEY": "dGhlIHNhbXBsZSBub25jZQ==", "HTTP_SEC_WEBSOCKET_VERSION": "13",
        ]
    }

    /// Accepts a WebSocket at `/websocket` whatever the server can do; at `/websocket-aware`
    /// only where `supportsWebSocket` is true, answering on its own elsewhere.
    static let webSocketApp = App { request in
        if request.pathInfo == "/websocket-aware", !request.capabilities.supportsWebSocket {
            return .text("supportsWebSocket: false\n")
        }
        return .webSocket { socket in for try await _ in socket.messages {} }
    }

    @Test("[WS-3] [WS-4] a WebSocket handshake under CGI: the application sees supportsWebSocket false, and an acceptance is refused with 501")
    func webSocketRefused() async {
        let refused = await CGIExchange.run(Self.webSocketApp, Self.handshake("/websocket"))
        #expect(refused.status == 501)
        #expect(refused.body == "501 Not Implemented\n")
        #expect(refused.exitStatus == 0)
        #expect(refused.log.contains { $0.contains("answered 501") && $0.contains("supportsWebSocket") })
        let aware = await CGIExchange.run(Self.webSocketApp, Self.handshake("/websocket-aware"))
        #expect(aware.status == 200)
        #expect(aware.body == "supportsWebSocket: false\n")
    }

    @Test("[REQ-13] the request's error log is the program's error sink")
    func errorLog() async {
        let exchange = await CGIExchange.run(
            App { request in
                request.errorLog.write("from the app")
                return .text("ok")
            })
        #expect(exchange.log == ["from the app"])
    }

    @Test("[CGI-7] [SEC-1] the client's Proxy header reaches the application as a header")
    func proxyHeader() async {
        let exchange = await CGIExchange.run(App { request in .text(request.headers["Proxy"] ?? "none") }, ["HTTP_PROXY": "evil"])
        #expect(exchange.body == "evil")
    }

    @Test("[LIFE-1] [LIFE-2] startup runs before the request; shutdown after it, once the output is closed")
    func lifecycle() async throws {
        let (readEnd, writeEnd) = try Self.pipe()
        defer { close(readEnd) }
        let events = Mutex<[String]>([])
        let app = App(
            startup: { events.withLock { $0.append("startup") } },
            shutdown: {
                // The response must already be complete: the pipe reaches end of file.
                let ended = Self.readsToEnd(readEnd)
                events.withLock { $0.append("shutdown, output \(ended ? "closed" : "open")") }
            },
            { _ in
                events.withLock { $0.append("request") }
                return .text("ok")
            }
        )
        let status = await CGI.serve(
            app, environment: CGIExchange.environment([:]), input: 0, output: writeEnd, errorLog: .discarding
        )
        #expect(status == 0)
        #expect(events.withLock { $0 } == ["startup", "request", "shutdown, output closed"])
    }

    @Test("[LIFE-1] a startup failure is answered 500 and logged; the program exits non-zero without serving")
    func startupFails() async {
        struct NoDatabase: Error {}
        let served = Mutex(false)
        let shutDown = Mutex(false)
        let app = App(
            startup: { throw NoDatabase() },
            shutdown: { shutDown.withLock { $0 = true } },
            { _ in
                served.withLock { $0 = true }
                return .text("served")
            }
        )
        let exchange = await CGIExchange.run(app)
        #expect(exchange.status == 500)
        #expect(exchange.exitStatus == 1)
        #expect(!served.withLock { $0 } && !shutDown.withLock { $0 })
        #expect(exchange.log.contains { $0.contains("failed to start") && $0.contains("NoDatabase") })
    }

    @Test("[LIFE-4] a client gone (EPIPE on stdout) fails the write with ClientDisconnected; hooks run, exit non-zero")
    func clientGone() async throws {
        let (readEnd, writeEnd) = try Self.pipe()
        close(readEnd)
        let outcome = Mutex<Completion?>(nil)
        let writeError = Mutex<(any Error)?>(nil)
        let app = App { request in
            request.onCompletion { completion in outcome.withLock { $0 = completion } }
            return Response(
                headers: ["Content-Type": "text/plain"],
                body: .stream { writer in
                    do {
                        while true {
                            try await writer.write(.pattern(count: 4096))
                            try await writer.flush()
                        }
                    } catch {
                        writeError.withLock { $0 = error }
                        throw error
                    }
                })
        }
        let status = await CGI.serve(
            app, environment: CGIExchange.environment([:]), input: 0, output: writeEnd, errorLog: .discarding
        )
        #expect(status == 1)
        #expect(writeError.withLock { $0 } is ClientDisconnected)
        #expect(outcome.withLock { $0?.clientDisconnected } == true)
    }

    /// A pipe: (read end, write end).
    static func pipe() throws -> (Int32, Int32) {
        var ends: [Int32] = [-1, -1]
        guard Glibc.pipe(&ends) == 0 else { throw PipeFailed() }
        return (ends[0], ends[1])
    }

    struct PipeFailed: Error {}

    /// Whether reading `descriptor` reaches end of file within a second: its writer closed it.
    static func readsToEnd(_ descriptor: Int32) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            var waiting = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&waiting, 1, 1000) == 1 else { return false }
            let count = read(descriptor, &buffer, buffer.count)
            if count <= 0 { return count == 0 }
        }
    }
}

@Suite("CGI requests the server re-ran internally")
struct InternalRedirectTests {
    static let report = App { request in .text("\(request.target) \(request.scriptName) \(request.pathInfo) \(request.queryString)") }

    @Test("[CGI-3] [REQ-3] after Apache's local redirect REQUEST_URI is the original: the variables route, the target stays the client's")
    func apacheLocalRedirect() async {
        // What Apache passes when /app/local-redirect answered `Location: /app/echo?redirected=1`.
        let exchange = await CGIExchange.run(
            Self.report,
            [
                "REQUEST_URI": "/app/local-redirect", "PATH_INFO": "/echo", "QUERY_STRING": "redirected=1",
                "REDIRECT_URL": "/app/local-redirect", "REDIRECT_STATUS": "200",
            ])
        #expect(exchange.body == "/app/local-redirect /app /echo redirected=1")
    }

    @Test("[CGI-3] [REQ-4] REQUEST_URI stays the target when PATH_INFO differs only as servers decode it")
    func decodingDifferences() async {
        // Apache: `%2F` kept encoded in PATH_INFO (AllowEncodedSlashes NoDecode), `//` merged.
        let apache = await CGIExchange.run(
            Self.report,
            [
                "REQUEST_URI": "/app/w%C3%B6rld/a%2Fb//c?x=", "PATH_INFO": "/wörld/a%2Fb/c", "QUERY_STRING": "x=",
            ])
        #expect(apache.body == "/app/w%C3%B6rld/a%2Fb//c?x= /app /wörld/a/b//c x=")
        // lighttpd: `%2F` decoded.
        let lighttpd = await CGIExchange.run(
            Self.report,
            [
                "REQUEST_URI": "/app/w%C3%B6rld/a%2Fb", "PATH_INFO": "/wörld/a/b", "QUERY_STRING": "",
            ])
        #expect(lighttpd.body == "/app/w%C3%B6rld/a%2Fb /app /wörld/a/b ")
    }
}
