// scriptName and pathInfo from what CGI and FastCGI servers pass: re-run requests, the
// differences servers make on their own, and hostile variable sets (Spec CGI-3, REQ-3, REQ-15).

import GatewayTestSupport
import Sluice
import SluiceCGIWire
import SluiceGateway
import Testing

@Suite("Paths from meta-variables")
struct MountedPathTests {
    static func request(_ pairs: [(String, String)], split: PathSplit) throws(MetaVariableError) -> Request {
        try Request(
            metaVariables: MetaVariables([("REQUEST_METHOD", "GET")] + pairs), body: .empty, errorLog: .discarding,
            capabilities: ServerCapabilities(), pathSplit: split
        )
    }

    static let splits: [PathSplit] = [.fromVariables, .wholePath]

    /// scriptName and pathInfo as the application mounted at /app sees them: under CGI's split
    /// the adapter's own; under FastCGI's, where the adapter passes the whole path, what
    /// `Mount(["/app": application])` makes of it (`nil` outside the mount: a 404).
    static func seen(_ request: Request, _ split: PathSplit) -> (scriptName: String, pathInfo: String)? {
        switch split {
        case .fromVariables:
            return (request.scriptName, request.pathInfo)
        case .wholePath:
            guard request.scriptName.isEmpty else { return nil }
            return Mount.split(request.pathInfo, at: "/app")
        }
    }

    @Test(
        "[CGI-3] [CGI-11] [REQ-3] a local redirect re-run by Apache (mod_cgi, mod_fcgid) is routed to where it went, under CGI and FastCGI", arguments: splits)
    func localRedirect(split: PathSplit) throws {
        let request = try Self.request(
            [
                ("SCRIPT_NAME", "/app"), ("PATH_INFO", "/second"), ("QUERY_STRING", "to=2"),
                ("REQUEST_URI", "/app/first?from=1"), ("REDIRECT_STATUS", "200"), ("REDIRECT_URL", "/app/first"),
            ], split: split)
        #expect(Self.seen(request, split)?.scriptName == "/app")
        #expect(Self.seen(request, split)?.pathInfo == "/second")
        #expect(request.queryString == "to=2")
        #expect(request.target == "/app/first?from=1")
    }

    @Test("[CGI-3] [REQ-3] nginx `rewrite ^/old/(.*)$ /app/$1 last` is routed by the rewritten path, split or not", arguments: splits)
    func nginxRewrite(split: PathSplit) throws {
        let splitParams = try Self.request([("SCRIPT_NAME", "/app"), ("PATH_INFO", "/x"), ("REQUEST_URI", "/old/x")], split: split)
        #expect(Self.seen(splitParams, split).map { [$0.scriptName, $0.pathInfo] } == ["/app", "/x"])
        #expect(splitParams.target == "/old/x")
        // The stock fastcgi_params: SCRIPT_NAME is the whole rewritten path, no PATH_INFO.
        let stock = try Self.request([("SCRIPT_NAME", "/app/x"), ("REQUEST_URI", "/old/x")], split: .wholePath)
        #expect(stock.scriptName == "" && stock.pathInfo == "/app/x")
    }

    @Test("[CGI-3] a SCRIPT_NAME without PATH_INFO names the mount: a fixed fastcgi_param or a minimal client routes by the target", arguments: splits)
    func scriptNameOnly(split: PathSplit) throws {
        let fixed = try Self.request([("SCRIPT_NAME", "/app"), ("REQUEST_URI", "/app/users/7?x=1"), ("QUERY_STRING", "x=1")], split: split)
        #expect(Self.seen(fixed, split).map { [$0.scriptName, $0.pathInfo] } == ["/app", "/users/7"])
    }

    @Test("[CGI-3] [CGI-11] Apache's local redirect to the mount itself passes no PATH_INFO: REDIRECT_URL marks it re-run", arguments: splits)
    func redirectToMount(split: PathSplit) throws {
        let request = try Self.request(
            [
                ("SCRIPT_NAME", "/app"), ("REQUEST_URI", "/app/first"), ("REDIRECT_URL", "/app/first"), ("REDIRECT_STATUS", "200"),
            ], split: split)
        #expect(Self.seen(request, split).map { [$0.scriptName, $0.pathInfo] } == ["/app", ""])
        #expect(request.target == "/app/first")
        #expect(request.metaVariables["REDIRECT_URL"] == "/app/first")
    }

    @Test(
        "[CGI-3] what servers change on their own is not a re-run: %2F kept, // merged, dots left, a trailing / at the mount",
        arguments: [
            // Apache with AllowEncodedSlashes NoDecode keeps %2F in PATH_INFO.
            ([("SCRIPT_NAME", "/app"), ("PATH_INFO", "/w\u{F6}rld%2Fx"), ("REQUEST_URI", "/app/w%C3%B6rld%2Fx")], "/w\u{F6}rld/x"),
            // nginx and Apache merge slashes.
            ([("SCRIPT_NAME", "/app"), ("PATH_INFO", "/a/b"), ("REQUEST_URI", "/app/a//b")], "/a//b"),
            // Caddy with `split` passes dot segments unresolved.
            ([("SCRIPT_NAME", "/app"), ("PATH_INFO", "/a/./b/../c"), ("REQUEST_URI", "/app/a/./b/../c")], "/a/c"),
            // mod_proxy_fcgi with proxy-fcgi-pathinfo gives `/` at the mount root.
            ([("SCRIPT_NAME", "/app"), ("PATH_INFO", "/"), ("REQUEST_URI", "/app")], ""),
            // A PATH_INFO passed still encoded.
            ([("SCRIPT_NAME", "/app"), ("PATH_INFO", "/a%20b"), ("REQUEST_URI", "/app/a%20b")], "/a b"),
            // A decoded %25 that reads as an escape once more is still the same path.
            ([("SCRIPT_NAME", "/app"), ("PATH_INFO", "/%41"), ("REQUEST_URI", "/app/%2541")], "/%41"),
        ] as [([(String, String)], String)])
    func serverDifferences(pairs: [(String, String)], pathInfo: String) throws {
        for split in Self.splits {
            let request = try Self.request(pairs, split: split)
            #expect(Self.seen(request, split)?.pathInfo == pathInfo, "\(split)")
            #expect(Self.seen(request, split)?.scriptName == "/app", "\(split)")
        }
        // Caddy without `split`: SCRIPT_NAME empty, the whole path in PATH_INFO, dots unresolved.
        let caddy = [("SCRIPT_NAME", ""), ("PATH_INFO", "/app/a/./b/../c"), ("REQUEST_URI", "/app/a/./b/../c")]
        let whole = try Self.request(caddy, split: .wholePath)
        #expect(Self.seen(whole, .wholePath).map { [$0.scriptName, $0.pathInfo] } == ["/app", "/a/c"])
    }

    @Test("[REQ-15] [CGI-3] a host that passes PATH_INFO with dot segments (Go's net/http/cgi) gets 400, never .. in pathInfo")
    func unresolvedDots() throws {
        let go = [("SCRIPT_NAME", "/app"), ("PATH_INFO", "/../../etc/passwd"), ("REQUEST_URI", "/app/%2e%2e/%2e%2e/etc/passwd")]
        #expect(throws: MetaVariableError.unsafePath(name: "PATH_INFO", reason: .dotSegment)) {
            try Self.request(go, split: .fromVariables)
        }
        // FastCGI's split uses the decoded target: it has no dots, and it left the mount, so a
        // Mount at /app answers it 404.
        let whole = try Self.request(go, split: .wholePath)
        #expect(whole.scriptName == "" && whole.pathInfo == "/etc/passwd")
        #expect(Self.seen(whole, .wholePath) == nil)
        let noTarget = [("SCRIPT_NAME", "/cgi-bin/app"), ("PATH_INFO", "/a/../b")]
        #expect(throws: MetaVariableError.unsafePath(name: "PATH_INFO", reason: .dotSegment)) {
            try Self.request(noTarget, split: .fromVariables)
        }
    }

    @Test("[REQ-15] a REQUEST_URI whose path is refused is answered 400 under both splits, and the log line escapes it", arguments: splits)
    func refusedTarget(split: PathSplit) throws {
        for (uri, reason) in [("/app/%2e%2e%2fetc", UnsafePath.dotSegmentBehindEncodedSlash), ("/app/x%00", .controlCharacter(0))] {
            #expect(throws: MetaVariableError.unsafePath(name: "REQUEST_URI", reason: reason)) {
                try Self.request([("SCRIPT_NAME", "/app"), ("PATH_INFO", "/x"), ("REQUEST_URI", uri)], split: split)
            }
        }
        let rejection = Rejection(MetaVariableError.unsafePath(name: "REQUEST_URI", reason: .controlCharacter(0)))
        #expect(rejection.status == .badRequest)
        #expect(!rejection.reason.contains("\u{0}"))
        let invalid = MetaVariableError.invalid(name: "REQUEST_METHOD", value: "G\r\nET")
        #expect(!invalid.description.contains("\r") && !invalid.description.contains("\n"))
    }

    @Test("[REQ-15] control characters the server decoded into PATH_INFO or SCRIPT_NAME are answered 400")
    func decodedControls() {
        #expect(throws: MetaVariableError.unsafePath(name: "PATH_INFO", reason: .controlCharacter(0))) {
            try Self.request([("SCRIPT_NAME", "/app"), ("PATH_INFO", "/x\u{0}")], split: .fromVariables)
        }
        #expect(throws: MetaVariableError.unsafePath(name: "SCRIPT_NAME", reason: .controlCharacter(0x1B))) {
            try Self.request([("SCRIPT_NAME", "/a\u{1B}pp"), ("PATH_INFO", "/x"), ("REQUEST_URI", "/elsewhere")], split: .fromVariables)
        }
    }

    @Test("[REQ-15] [REQ-3] 20,000 generated hostile variable sets: every request built has a safe, well-formed scriptName and pathInfo")
    func generatedVariableSets() {
        var generator = SeededGenerator(seed: 0xC61_3A)
        var built = 0
        for _ in 0..<20_000 {
            var pairs: [(String, String)] = []
            if Bool.random(using: &generator) { pairs.append(("REQUEST_URI", HostilePaths.target(using: &generator))) }
            if Bool.random(using: &generator) { pairs.append(("SCRIPT_NAME", HostilePaths.decodedPath(using: &generator))) }
            if Bool.random(using: &generator) { pairs.append(("PATH_INFO", HostilePaths.decodedPath(using: &generator))) }
            if Bool.random(using: &generator) { pairs.append(("SCRIPT_NAME", "/app")) }
            for split in Self.splits {
                guard let request = try? Self.request(pairs, split: split) else { continue }
                built += 1
                let described = "\(split) \(pairs)"
                #expect(HostilePaths.isSafe(request.scriptName) && HostilePaths.isSafe(request.pathInfo), "\(described)")
                #expect(request.pathInfo.isEmpty || request.pathInfo.hasPrefix("/"), "\(described)")
                #expect(request.scriptName.isEmpty || request.scriptName.hasPrefix("/") && !request.scriptName.hasSuffix("/"), "\(described)")
            }
        }
        #expect(built > 6_000, "\(built) of 40,000 built")
    }
}
