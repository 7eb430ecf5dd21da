import GatewayTestSupport
import Sluice
import SluiceCGIWire
import SluiceGateway
import Testing

@Suite("Requests from CGI meta-variables")
struct MetaVariablesTests {
    static func request(_ pairs: [(String, String)], split: PathSplit = .fromVariables) throws -> Request {
        try Request(
            metaVariables: MetaVariables(pairs), body: .empty, errorLog: .discarding,
            capabilities: ServerCapabilities(), pathSplit: split
        )
    }

    /// What nginx passes with `fastcgi_split_path_info` for `GET /app/hello/w%C3%B6rld%2Fx?q=1&q=2`.
    static let nginx: [(String, String)] = [
        ("GATEWAY_INTERFACE", "CGI/1.1"), ("SERVER_SOFTWARE", "nginx/1.22.1"), ("SERVER_PROTOCOL", "HTTP/1.1"),
        ("SERVER_NAME", "localhost"), ("SERVER_PORT", "8080"), ("REQUEST_METHOD", "GET"),
        ("REQUEST_SCHEME", "http"), ("SCRIPT_NAME", "/app"), ("PATH_INFO", "/hello/wörld/x"),
        ("REQUEST_URI", "/app/hello/w%C3%B6rld%2Fx?q=1&q=2"), ("QUERY_STRING", "q=1&q=2"),
        ("DOCUMENT_ROOT", "/srv/www"), ("REMOTE_ADDR", "127.0.0.1"), ("REMOTE_PORT", "50123"),
        ("CONTENT_TYPE", ""), ("CONTENT_LENGTH", ""), ("HTTP_HOST", "127.0.0.1:8080"),
        ("HTTP_X_DUP", "one"), ("HTTP_X_DUP", "two"), ("HTTP_PROXY", "evil"),
    ]

    @Test("[CGI-6] [REQ-8] an IPv6 SERVER_NAME in brackets, as Apache and lighttpd pass it, loses them")
    func serverNameWithoutBrackets() throws {
        let request = try Self.request([("REQUEST_METHOD", "GET"), ("SERVER_NAME", "[::1]"), ("SERVER_PORT", "8080")])
        #expect(request.serverName == "::1")
    }

    @Test(
        "[CGI-6] [REQ-8] a SERVER_NAME or Host that is empty once brackets and port are gone falls back: serverName is never empty (found by fuzzing)",
        arguments: [
            [("SERVER_NAME", "[]")], [("HTTP_HOST", ":8080")], [("SERVER_NAME", "[]"), ("HTTP_HOST", "[]:80")],
        ])
    func serverNameNeverEmpty(pairs: [(String, String)]) throws {
        #expect(try Self.request([("REQUEST_METHOD", "GET")] + pairs).serverName == "localhost")
    }

    @Test("[CGI-3] SCRIPT_NAME is the mount and pathInfo comes from the request-target below it")
    func splitFromVariables() throws {
        let request = try Self.request(Self.nginx)
        #expect(request.scriptName == "/app")
        #expect(request.pathInfo == "/hello/wörld/x")
        #expect(request.target == "/app/hello/w%C3%B6rld%2Fx?q=1&q=2")
        #expect(request.queryString == "q=1&q=2")
    }

    @Test("[CGI-3] [REQ-3] a request re-run for another path is routed by what the server ran; the target stays the client's")
    func internalRedirect() throws {
        // Apache re-running `/app/first` as a local redirect to `/app/echo?redirected=1`.
        let redirected = try Self.request([
            ("REQUEST_METHOD", "GET"), ("SCRIPT_NAME", "/app"), ("PATH_INFO", "/echo"),
            ("QUERY_STRING", "redirected=1"), ("REQUEST_URI", "/app/first"),
        ])
        #expect(redirected.pathInfo == "/echo")
        #expect(redirected.queryString == "redirected=1")
        #expect(redirected.target == "/app/first")
        // Differences the server makes on its own keep REQUEST_URI: %2F kept by Apache, `//` merged.
        let apache = try Self.request([
            ("REQUEST_METHOD", "GET"), ("SCRIPT_NAME", "/app"), ("PATH_INFO", "/a%2Fb//c"),
            ("REQUEST_URI", "/app/a%2Fb//c"),
        ])
        #expect(apache.target == "/app/a%2Fb//c" && apache.pathInfo == "/a/b//c")
        let merged = try Self.request([
            ("REQUEST_METHOD", "GET"), ("SCRIPT_NAME", "/app"), ("PATH_INFO", "/a/b"),
            ("REQUEST_URI", "/app/a//b"),
        ])
        #expect(merged.target == "/app/a//b" && merged.pathInfo == "/a//b")
        // A rewrite from outside SCRIPT_NAME keeps the client's target.
        let rewritten = try Self.request([
            ("REQUEST_METHOD", "GET"), ("SCRIPT_NAME", "/index.cgi"), ("PATH_INFO", "/x"),
            ("REQUEST_URI", "/pretty/x"),
        ])
        #expect(rewritten.target == "/pretty/x" && rewritten.pathInfo == "/x")
    }

    @Test("[CGI-3] [MOUNT-1] FastCGI's split passes the whole decoded path, whatever SCRIPT_NAME and PATH_INFO say, for Mount to split")
    func wholePath() throws {
        // Caddy without `split`: SCRIPT_NAME empty, the whole path in PATH_INFO.
        let caddy = [
            ("REQUEST_METHOD", "GET"), ("SCRIPT_NAME", ""), ("PATH_INFO", "/app/a/./b/../c//d e"),
            ("REQUEST_URI", "/app/a/./b/../c//d%20e?x=%20y+z"), ("QUERY_STRING", "x=%20y+z"),
        ]
        let request = try Self.request(caddy, split: .wholePath)
        #expect(request.scriptName == "")
        #expect(request.pathInfo == "/app/a/c//d e")
        #expect(Mount.split(request.pathInfo, at: "/app/").map { [$0.scriptName, $0.pathInfo] } == ["/app", "/a/c//d e"])
        #expect(Mount.split(request.pathInfo, at: "/other") == nil)
    }

    @Test("[CGI-3] without REQUEST_URI the variables are used and the target is rebuilt")
    func noRequestURI() throws {
        let request = try Self.request([
            ("REQUEST_METHOD", "GET"), ("SCRIPT_NAME", "/cgi-bin/app"),
            ("PATH_INFO", "/a b"), ("QUERY_STRING", "k=v"),
        ])
        #expect(request.scriptName == "/cgi-bin/app")
        #expect(request.pathInfo == "/a b")
        #expect(request.target == "/cgi-bin/app/a%20b?k=v")
    }

    @Test("[CGI-3] SCRIPT_NAME `/` means the root; the mount root has an empty pathInfo")
    func rootScriptName() throws {
        let slash = try Self.request([("REQUEST_METHOD", "GET"), ("SCRIPT_NAME", "/"), ("PATH_INFO", "/x"), ("REQUEST_URI", "/x")])
        #expect(slash.scriptName == "" && slash.pathInfo == "/x")
        let mountRoot = try Self.request([("REQUEST_METHOD", "GET"), ("SCRIPT_NAME", "/app"), ("REQUEST_URI", "/app")])
        #expect(mountRoot.scriptName == "/app" && mountRoot.pathInfo == "")
    }

    @Test("[CGI-4] HTTP_* variables become header fields in order, repeats kept")
    func headers() throws {
        let request = try Self.request(Self.nginx)
        #expect(request.headers.map(\.name) == ["Host", "X-Dup", "X-Dup", "Proxy"])
        #expect(request.headers.values(for: "x-dup") == ["one", "two"])
    }

    @Test("[CGI-4] CONTENT_TYPE and CONTENT_LENGTH become fields; HTTP_CONTENT_* are ignored")
    func contentFields() throws {
        let request = try Self.request([
            ("REQUEST_METHOD", "POST"), ("CONTENT_TYPE", "text/plain"),
            ("CONTENT_LENGTH", "12"), ("HTTP_CONTENT_LENGTH", "99"),
        ])
        #expect(request.headers == ["Content-Type": "text/plain", "Content-Length": "12"])
        // Spelled in another case, as only a server gone wrong sends them: still ignored.
        let lowercase = try Self.request([
            ("REQUEST_METHOD", "POST"), ("CONTENT_LENGTH", "12"),
            ("HTTP_content_length", "99"), ("HTTP_Content_Type", "x/y"),
        ])
        #expect(lowercase.headers == ["Content-Length": "12"])
    }

    @Test(
        "[CGI-4] [REQ-7] a variable that makes a field no request may carry is answered 400, its name and value escaped in the log",
        arguments: [
            ("HTTP_X\u{4}NAME", "v"), ("HTTP_X NAME", "v"), ("HTTP_X_SPLIT", "a\r\nInjected: 1"), ("HTTP_X_NUL", "a\u{0}b"), ("CONTENT_TYPE", "text/plain\n"),
        ])
    func malformedFields(name: String, value: String) throws {
        #expect(throws: MetaVariableError.invalid(name: name, value: value)) {
            try Self.request([("REQUEST_METHOD", "GET"), (name, value)])
        }
        let description = MetaVariableError.invalid(name: name, value: value).description
        #expect(!description.utf8.contains { $0 < 0x20 })
    }

    @Test("[CGI-2] empty optional variables count as absent; a repeated variable's last value wins")
    func emptyMeansAbsent() throws {
        let request = try Self.request(Self.nginx)
        #expect(!request.headers.contains("Content-Type"))
        #expect(!request.headers.contains("Content-Length"))
        let variables = MetaVariables([("SERVER_NAME", "first"), ("SERVER_NAME", "last")])
        #expect(variables["SERVER_NAME"] == "last")
        #expect(try variables.contentLength() == nil)
    }

    /// Meta-variables from `texts` as a C library hands entries over: each in memory of its own.
    static func fromEntries(_ texts: [String]) -> MetaVariables {
        let entries = texts.map { text in
            let entry = UnsafeMutableRawBufferPointer.allocate(byteCount: text.utf8.count, alignment: 1)
            entry.copyBytes(from: text.utf8)
            return UnsafeRawBufferPointer(entry)
        }
        defer {
            for entry in entries { entry.deallocate() }
        }
        return MetaVariables(count: entries.count) { entries[$0] }
    }

    @Test("[CGI-2] variables copied from NAME=value entries split at the first =, skip entries without one, keep order and repeats")
    func fromEntries() {
        let variables = Self.fromEntries(
            ["REQUEST_METHOD=GET", "NOT_A_VARIABLE", "QUERY_STRING=a=1&b=2", "EMPTY=", "SERVER_NAME=first", "SERVER_NAME=last"]
        )
        #expect(variables.count == 5)
        #expect(variables.pairs.map(\.name) == ["REQUEST_METHOD", "QUERY_STRING", "EMPTY", "SERVER_NAME", "SERVER_NAME"])
        #expect(variables["QUERY_STRING"] == "a=1&b=2")
        #expect(variables["SERVER_NAME"] == "last")
        #expect(variables["EMPTY"] == nil)
        #expect(variables.contains("EMPTY"))
        #expect(!variables.contains("NOT_A_VARIABLE"))
    }

    @Test(
        "[CGI-2] an entry splits at its first = wherever it is: in the first eight bytes, at the eighth, far past it, or nowhere",
        arguments: [
            "=value", "A=b", "SEVEN_7=x", "EIGHT_88=x", "NINE_9999=x", "A_LONG_VARIABLE_NAME_OF_33_BYTES_=x=y", "NO_EQUALS_SIGN_IN_A_LONG_ENTRY",
            "=", "PATH_INFO=/a=b", "X\u{3C}=y", "ÉÉÉ\u{BD}É=x",
        ])
    func splitAtFirstEqualsSign(text: String) {
        let variables = Self.fromEntries([text])
        let split = text.firstIndex(of: "=").map { (String(text[..<$0]), String(text[text.index(after: $0)...])) }
        #expect(variables.pairs.map { [$0.name, $0.value] } == (split.map { [[$0.0, $0.1]] } ?? []))
    }

    @Test("[CGI-1] REQUEST_METHOD is required and must be a token")
    func requestMethod() throws {
        #expect(throws: MetaVariableError.missing(name: "REQUEST_METHOD")) { try Self.request([("REQUEST_URI", "/")]) }
        #expect(throws: MetaVariableError.invalid(name: "REQUEST_METHOD", value: "GE T")) {
            try Self.request([("REQUEST_METHOD", "GE T")])
        }
    }

    @Test("[CGI-5] CONTENT_LENGTH must be decimal digits", arguments: ["-1", "abc", "1e3", " 5", "+5"])
    func invalidContentLength(value: String) throws {
        #expect(throws: MetaVariableError.invalid(name: "CONTENT_LENGTH", value: value)) {
            try Self.request([("REQUEST_METHOD", "POST"), ("CONTENT_LENGTH", value)])
        }
    }

    @Test("[CGI-5] [BODY-3] a body made from the variables gets the declared length, nil when absent or empty, and none when they are invalid")
    func bodyFromDeclaredLength() throws {
        func declaredLength(_ pairs: [(String, String)]) throws -> Int?? {
            var length: Int??
            _ = try Request(metaVariables: MetaVariables(pairs), errorLog: .discarding, capabilities: ServerCapabilities(), pathSplit: .fromVariables) {
                length = $0
                return RequestBody(bytes: [])
            }
            return length
        }
        #expect(try declaredLength([("REQUEST_METHOD", "POST"), ("CONTENT_LENGTH", "12")]) == .some(12))
        #expect(try declaredLength([("REQUEST_METHOD", "POST"), ("CONTENT_LENGTH", "")]) == .some(nil))
        #expect(try declaredLength([("REQUEST_METHOD", "GET")]) == .some(nil))
        #expect(throws: MetaVariableError.self) { try declaredLength([("REQUEST_METHOD", "POST"), ("CONTENT_LENGTH", "x")]) }
    }

    @Test("[CGI-6] scheme, server name, port and protocol, with their defaults")
    func serverFields() throws {
        let https = try Self.request([("REQUEST_METHOD", "GET"), ("HTTPS", "ON"), ("HTTP_HOST", "[::1]:8443")])
        #expect(https.scheme == "https")
        #expect(https.serverPort == 443)
        #expect(https.serverName == "::1")
        let plain = try Self.request([
            ("REQUEST_METHOD", "GET"), ("REQUEST_SCHEME", "http"),
            ("SERVER_PROTOCOL", "INCLUDED"), ("SERVER_PORT", "8080"),
        ])
        #expect(plain.scheme == "http" && plain.serverPort == 8080 && plain.serverProtocol == "HTTP/1.0")
        #expect(plain.serverName == "localhost")
        let nginx = try Self.request(Self.nginx)
        #expect(nginx.serverName == "localhost" && nginx.serverPort == 8080 && nginx.serverProtocol == "HTTP/1.1")
        #expect(nginx.remoteAddress == "127.0.0.1" && nginx.remotePort == 50123)
    }

    @Test("[CGI-6] out-of-range ports and malformed protocols count as absent")
    func malformedServerFields() throws {
        let request = try Self.request([
            ("REQUEST_METHOD", "GET"), ("SERVER_PORT", "70000"), ("REMOTE_PORT", "-1"),
            ("SERVER_PROTOCOL", "SPDY/3"),
        ])
        #expect(request.serverPort == 80)
        #expect(request.remotePort == nil)
        #expect(request.serverProtocol == "HTTP/1.0")
        let zero = try Self.request([("REQUEST_METHOD", "GET"), ("SERVER_PORT", "0"), ("SERVER_PROTOCOL", "HTTP/2")])
        #expect(zero.serverPort == 80 && zero.serverProtocol == "HTTP/2")
    }

    @Test(
        "[CGI-6] a port is one to five decimal digits up to 65535",
        arguments: [
            ("65535", 65535), ("00080", 80), ("0", 0), ("65536", nil), ("123456", nil), ("000080", nil), ("8a", nil), (" 80", nil),
            ("+80", nil), ("\u{663}", nil), ("HTTP/1.1", nil),
        ] as [(String, Int?)])
    func portDigits(text: String, port: Int?) throws {
        let request = try Self.request([("REQUEST_METHOD", "GET"), ("REMOTE_PORT", text), ("SERVER_PROTOCOL", "HTTP/1.1")])
        #expect(request.remotePort == port)
    }

    @Test(
        "[CGI-6] SERVER_PROTOCOL is HTTP/ and a version of one or two digits",
        arguments: [
            ("HTTP/1.1", "HTTP/1.1"), ("HTTP/2", "HTTP/2"), ("HTTP/1.", "HTTP/1.0"), ("HTTP/11", "HTTP/1.0"), ("http/1.1", "HTTP/1.0"),
            ("HTTP/1.1x", "HTTP/1.0"), ("HTTPS/1.1", "HTTP/1.0"),
        ])
    func protocolVersions(text: String, expected: String) throws {
        let request = try Self.request([("REQUEST_METHOD", "GET"), ("SERVER_PROTOCOL", text)])
        #expect(request.serverProtocol == expected)
    }

    @Test("[CGI-7] the client's Proxy header is a request header, never a meta-variable")
    func httpoxy() throws {
        let request = try Self.request(Self.nginx)
        #expect(request.headers["Proxy"] == "evil")
        #expect(request.metaVariables["HTTP_PROXY"] == nil)
    }

    @Test("[CGI-8] other variables go to metaVariables unchanged; mapped and HTTP_* ones do not")
    func otherVariables() throws {
        let request = try Self.request(Self.nginx)
        #expect(request.metaVariables["DOCUMENT_ROOT"] == "/srv/www")
        #expect(request.metaVariables["GATEWAY_INTERFACE"] == "CGI/1.1")
        #expect(request.metaVariables["REQUEST_SCHEME"] == "http")
        #expect(request.metaVariables["SCRIPT_NAME"] == nil)
        #expect(!request.metaVariables.keys.contains { $0.hasPrefix("HTTP_") })
    }

    @Test("[CGI-8] names that share a field name's length and first letters are leftovers, not fields")
    func nearMissNames() throws {
        let nearMisses = [
            "PATH_INFX", "REQUEST_URX", "REMOTE_ADDX", "REMOTE_PORX", "RXMOTE_PORT", "SCRIPT_NAMX",
            "SERVER_NAMX", "SERVER_PORX", "QUERY_STRINX", "CONTENT_TYPX", "REQUEST_METHOX",
            "CONTENT_LENGTX", "SERVER_PROTOCOX", "PATH_XNFO", "REQUEST_XRI", "CONTENT_TXPE", "SERVER_PRXTOCOL",
            "SERVER_PROTOXOL", "REQUEST_METHXD", "HTTPX", "REQUEST_SCHEMX", "RXQUEST_SCHEME", "HTTQ_HOST", "HTTP", "XTTP_HOST",
        ]
        let request = try Self.request([("REQUEST_METHOD", "GET"), ("REQUEST_URI", "/a")] + nearMisses.map { ($0, "x") })
        #expect(request.metaVariables == Dictionary(uniqueKeysWithValues: nearMisses.map { ($0, "x") }))
        #expect(request.method == .get && request.target == "/a" && request.queryString.isEmpty)
        #expect(request.serverName == "localhost" && request.remoteAddress.isEmpty && request.remotePort == nil)
    }

    @Test("[CGI-8] [CGI-2] metaVariables holds every leftover exactly: the last value of a repeat, empty values kept")
    func otherVariablesExactly() throws {
        let request = try Self.request(Self.nginx + [("DOCUMENT_ROOT", "/srv/other"), ("HTTPS", ""), ("HTTP_", "x")])
        #expect(
            request.metaVariables == [
                "GATEWAY_INTERFACE": "CGI/1.1", "SERVER_SOFTWARE": "nginx/1.22.1", "REQUEST_SCHEME": "http",
                "DOCUMENT_ROOT": "/srv/other", "HTTPS": "",
            ])
    }

    @Test("[CGI-8] metaVariables of a request built from variables can be changed and replaced")
    func otherVariablesChanged() throws {
        var request = try Self.request(Self.nginx)
        request.metaVariables["SSL_PROTOCOL"] = "TLSv1.3"
        #expect(request.metaVariables["SSL_PROTOCOL"] == "TLSv1.3")
        #expect(request.metaVariables["DOCUMENT_ROOT"] == "/srv/www")
        request.metaVariables = ["ONLY": "this"]
        #expect(request.metaVariables == ["ONLY": "this"])
    }

    @Test(
        "[CGI-6] HTTPS is on for on, 1 or yes in any case, and off for anything else",
        arguments: [
            ("on", true), ("ON", true), ("1", true), ("Yes", true), ("off", false), ("0", false), ("onn", false),
        ])
    func httpsValues(value: String, isOn: Bool) throws {
        let request = try Self.request([("REQUEST_METHOD", "GET"), ("HTTPS", value)])
        #expect(request.scheme == (isOn ? "https" : "http"))
    }

    @Test("[SEC-6] forwarding headers stay headers: they change no address, scheme or server field")
    func forwardingHeadersNotTrusted() throws {
        let request = try Self.request([
            ("REQUEST_METHOD", "GET"), ("REMOTE_ADDR", "10.0.0.5"), ("REMOTE_PORT", "4000"), ("SERVER_NAME", "app.local"),
            ("SERVER_PORT", "8080"), ("HTTP_X_FORWARDED_FOR", "1.2.3.4"), ("HTTP_X_FORWARDED_PROTO", "https"),
            ("HTTP_X_FORWARDED_HOST", "evil.example"), ("HTTP_FORWARDED", "for=1.2.3.4;proto=https"), ("HTTP_X_REAL_IP", "1.2.3.4"),
        ])
        #expect(request.remoteAddress == "10.0.0.5" && request.remotePort == 4000)
        #expect(request.scheme == "http" && request.serverName == "app.local" && request.serverPort == 8080)
        #expect(request.headers["X-Forwarded-For"] == "1.2.3.4")
    }

    @Test("[CGI-10] the response head is a Status line, the fields, and an empty line")
    func responseHead() {
        let head = CGIResponseHead.bytes(status: .notFound, headers: ["Content-Type": "text/plain", "Set-Cookie": "a", "Set-Cookie": "b"])
        #expect(
            String(decoding: head, as: UTF8.self)
                == "Status: 404 Not Found\r\nContent-Type: text/plain\r\nSet-Cookie: a\r\nSet-Cookie: b\r\n\r\n")
    }

    @Test(
        "[CGI-10] [CGI-11] the head written piece by piece and its length agree with the head as bytes",
        arguments: [
            (Response.Status.notFound, ["Content-Type": "text/plain", "Set-Cookie": "a"] as Headers),
            (Response.Status(code: 299, reasonPhrase: "Ünïcode"), Headers()),
            (Response.Status.found, ["Location": "/other?x=1"] as Headers),
        ])
    func responseHeadPieces(status: Response.Status, headers: Headers) {
        var pieces: [UInt8] = []
        CGIResponseHead.write(status: status, headers: headers) { pieces.append(contentsOf: $0) }
        let bytes = CGIResponseHead.bytes(status: status, headers: headers)
        #expect(pieces == bytes)
        #expect(CGIResponseHead.byteCount(status: status, headers: headers) == bytes.count)
    }

    @Test("[CGI-10] a head with a custom reason phrase and no fields is a Status line and the empty line")
    func responseHeadWithoutFields() {
        let head = CGIResponseHead.bytes(status: Response.Status(code: 599, reasonPhrase: "Über Fehler"), headers: Headers())
        #expect(String(decoding: head, as: UTF8.self) == "Status: 599 Über Fehler\r\n\r\n")
    }

    @Test("[CGI-11] a local redirect is a lone Location field with no Status line")
    func localRedirect() async {
        let writer = RecordingWriter()
        _ = await Gateway.respond(
            to: Request(method: .get, target: "/", pathInfo: "/"),
            with: App { _ in .localRedirect(to: "/other?x=1") }, through: writer
        )
        let headers = writer.headers ?? Headers()
        #expect(headers == ["Location": "/other?x=1"])
        #expect(String(decoding: CGIResponseHead.bytes(status: .ok, headers: headers), as: UTF8.self) == "Location: /other?x=1\r\n\r\n")
    }
}
