// Cases for how a request reaches the application: method, target, the path split and its
// decoding, the query, header fields, where the request was addressed, scheme and peer.

extension ConformanceSuite {
    static let requestCases: [ConformanceCase] = [
        ConformanceCase("req-method", ["REQ-1"], "The method reaches the application as sent.") { probe in
            for method in ["DELETE", "PATCH", "OPTIONS"] {
                try expectEqual(try probe.report(method: method).method, method, "method of a \(method)")
            }
            return "DELETE, PATCH and OPTIONS arrive unchanged"
        },
        ConformanceCase("req-target-raw", ["REQ-2"], "target is the request-target exactly as sent: escapes, dot segments, // and query kept.") { probe in
            let relative = "/a/./b/../c//d%20e%2Fx?q=1+2&r=%20"
            try expectEqual(try probe.report(relative).target, probe.path(relative), "target")
            return "target kept byte for byte"
        },
        ConformanceCase("req-path-split", ["REQ-3", "CGI-3", "HTTP-1"], "scriptName is the mount, pathInfo the rest of the decoded path.") { probe in
            let report = try probe.report("/x/y")
            try expectEqual(report.scriptName, probe.target.mountPath, "scriptName")
            try expectEqual(report.pathInfo, "/x/y", "pathInfo")
            return "scriptName \(quoted(report.scriptName)), pathInfo \"/x/y\""
        },
        pathCase("req-path-dot-segments", "/a/./b/../c//d%20e", "/a/c//d e", "Dot segments are removed, // is kept, escapes are decoded."),
        pathCase("req-path-escaped-dots", "/x/%2e%2E/y/%2e/z", "/y/z", "Escaped dots count as dot segments."),
        pathCase("req-path-encoded-slash", "/w%C3%B6rld%2Fx", "/w\u{F6}rld/x", "%2F decodes to / in pathInfo (target keeps it)."),
        pathCase("req-path-unicode", "/caf%C3%A9/%E2%9C%93", "/caf\u{E9}/\u{2713}", "Percent-encoded UTF-8 decodes to Unicode."),
        pathCase("req-path-invalid-utf8", "/bad%FFbyte", "/bad\u{FFFD}byte", "Bytes that are not UTF-8 become U+FFFD."),
        pathCase("req-path-decoded-once", "/%252e", "/%2e", "A path is decoded once: %252e is %2e, not a dot segment."),
        pathCase("req-path-broken-escape", "/a%zzb%4", "/a%zzb%4", "An escape that is not % and two hex digits stays as it is."),
        ConformanceCase("req-query-raw", ["REQ-5"], "queryString is the query as sent, never decoded.") { probe in
            let query = "a=1+2&b=%20c&d&e=%C3%A9"
            try expectEqual(try probe.report("/q?" + query).queryString, query, "queryString")
            return "+ and escapes kept"
        },
        ConformanceCase("req-query-repeated", ["REQ-5"], "A repeated query parameter stays repeated, in order.") { probe in
            let query = "a=1&a=2&a=&a"
            try expectEqual(try probe.report("/q?" + query).queryString, query, "queryString")
            return "repeats kept in order"
        },
        ConformanceCase("req-query-absent", ["REQ-5"], "Without a ?, queryString is empty.") { probe in
            try expectEqual(try probe.report("/no-query").queryString, "", "queryString")
            return "empty"
        },
        ConformanceCase("req-header-repeats", ["REQ-6", "CGI-4"], "Repeated header fields arrive as separate fields, in order, never joined.") { probe in
            let report = try probe.report("/", [("X-Conformance-Dup", "one"), ("X-Conformance-Other", "x"), ("X-Conformance-Dup", "two, three")])
            try expectEqual(report.values("X-Conformance-Dup"), ["one", "two, three"], "X-Conformance-Dup fields")
            return "two fields, in order"
        },
        ConformanceCase("req-header-order", ["REQ-6", "CGI-4"], "Header fields arrive in the order sent.") { probe in
            let sent = (1...5).map { ("X-Conformance-Order-\($0)", "\($0)") }
            let report = try probe.report("/", sent.reversed())
            let order = report.fields.map { $0.name.lowercased() }.filter { $0.hasPrefix("x-conformance-order-") }
            try expectSameOrder(order, sent.reversed().map { $0.0.lowercased() }, "the fields")
            return "order kept"
        },
        ConformanceCase("req-header-name-case", ["REQ-6"], "Header names keep their spelling.") { probe in
            try probe.requireStandaloneHTTP("names arrive as HTTP_* variables, which cannot keep their spelling (CGI-4)")
            let report = try probe.report("/", [("x-CONFORMANCE-case", "1")])
            try expect(
                report.fields.contains { $0.name == "x-CONFORMANCE-case" },
                "the name arrived as \(report.fields.map(\.name).filter { $0.lowercased() == "x-conformance-case" })")
            return "spelling kept"
        },
        ConformanceCase(
            "req-server-name-port", ["REQ-8", "CGI-6", "HTTP-1"], "serverName is the host addressed, serverPort the port, serverProtocol the request's."
        ) { probe in
            let report = try probe.report()
            try expect(
                !report.serverName.isEmpty && !report.serverName.contains(":") && !report.serverName.contains("["),
                "serverName \(quoted(report.serverName)) is not a bare host")
            try expectEqual(report.serverName, probe.target.host.lowercased(), "serverName")
            try expectEqual(report.serverPort, probe.target.port, "serverPort")
            try expectEqual(report.serverProtocol, "HTTP/1.1", "serverProtocol")
            return "\(report.serverName):\(report.serverPort) \(report.serverProtocol)"
        },
        hostCase("req-server-name-from-host", host: "conformance.example", "serverName and serverPort come from the Host the client addressed."),
        hostCase("req-server-name-ipv6-host", host: "[::1]", "An IPv6 Host gives serverName without brackets."),
        ConformanceCase("req-server-protocol-1.0", ["REQ-8", "CGI-6"], "An HTTP/1.0 request reports serverProtocol HTTP/1.0.") { probe in
            let connection = try probe.connect()
            defer { connection.disconnect() }
            try connection.write(probe.head("GET", "/", version: "HTTP/1.0"))
            let report = try ProbeSession.report(from: connection.responses.readResponse())
            try expectEqual(report.serverProtocol, "HTTP/1.0", "serverProtocol")
            return "HTTP/1.0"
        },
        ConformanceCase("req-scheme", ["REQ-9", "CGI-6"], "scheme is the last hop's: http here, and what HTTPS and REQUEST_SCHEME say behind a front server.") {
            probe in
            let report = try probe.report()
            try expectEqual(report.scheme, "http", "scheme")
            // The suite's client speaks plain HTTP, so a front server saying otherwise is wrong too.
            let https = report.metaVariables["HTTPS"]?.lowercased() ?? ""
            try expect(!["on", "1", "yes"].contains(https), "HTTPS is \(quoted(https)) on a plain HTTP request")
            let requestScheme = report.metaVariables["REQUEST_SCHEME"] ?? "http"
            try expect(requestScheme == "http", "REQUEST_SCHEME is \(quoted(requestScheme)) on a plain HTTP request")
            return "http (https is not tested: the suite's client speaks plain HTTP)"
        },
        ConformanceCase("req-remote-address", ["REQ-10", "CGI-6"], "remoteAddress is the peer's IP address, remotePort nil or a port.") { probe in
            let report = try probe.report()
            try expect(isIPAddress(report.remoteAddress), "remoteAddress \(quoted(report.remoteAddress)) is not an IP address")
            if let port = report.remotePort { try expect((0...65535).contains(port), "remotePort \(port) is out of range") }
            if ["127.0.0.1", "localhost"].contains(probe.target.host) {
                try expect(["127.0.0.1", "::ffff:127.0.0.1"].contains(report.remoteAddress), "remoteAddress \(quoted(report.remoteAddress)) over loopback")
            }
            return "\(report.remoteAddress) port \(report.remotePort.map(String.init) ?? "nil")"
        },
        ConformanceCase("sec-forwarding-untrusted", ["SEC-6", "REQ-9", "REQ-10"], "Forwarded and X-Forwarded-* change nothing and stay in headers.") { probe in
            let plain = try probe.report()
            let forwarded = try probe.report(
                "/",
                [
                    ("Forwarded", "for=198.51.100.7;proto=https;host=evil.example"), ("X-Forwarded-For", "198.51.100.7"),
                    ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "evil.example"), ("X-Forwarded-Port", "443"),
                    ("X-Real-IP", "198.51.100.7"),
                ])
            try expectEqual(forwarded.scheme, plain.scheme, "scheme")
            try expectEqual(forwarded.remoteAddress, plain.remoteAddress, "remoteAddress")
            try expectEqual(forwarded.serverName, plain.serverName, "serverName")
            try expectEqual(forwarded.serverPort, plain.serverPort, "serverPort")
            // A front server may replace these fields with its own (Caddy does); the adapter
            // passes on what it got, so only the standalone server is held to keeping them.
            if probe.isBehindGateway { return "scheme, peer and server unchanged" }
            try expect(forwarded.values("X-Forwarded-Proto") == ["https"], "X-Forwarded-Proto did not reach headers as sent")
            return "scheme, peer and server unchanged; fields kept in headers"
        },
        // HTTPS and REQUEST_SCHEME stay: scheme is derived from them (CGI-6), not a copy of either.
        ConformanceCase("req-meta-variables", ["REQ-11", "CGI-8"], "metaVariables holds no HTTP_* and no variable a field holds.") { probe in
            let mapped: Set = [
                "REQUEST_METHOD", "REQUEST_URI", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "CONTENT_LENGTH", "CONTENT_TYPE",
                "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "REMOTE_ADDR", "REMOTE_PORT",
            ]
            let names = try probe.report("/", [("X-Conformance-Meta", "1")]).metaVariables.keys
            let wrong = names.filter { $0.hasPrefix("HTTP_") || mapped.contains($0) }.sorted()
            try expect(wrong.isEmpty, "metaVariables holds \(wrong.joined(separator: ", "))")
            return names.isEmpty ? "empty (standalone)" : "\(names.count) variables, none mapped elsewhere"
        },
        ConformanceCase("sec-httpoxy", ["SEC-1", "CGI-7"], "A Proxy field is a request header only, never HTTP_PROXY in metaVariables.") { probe in
            let report = try probe.report("/", [("Proxy", "http://198.51.100.7:3128")])
            try expect(report.metaVariables["HTTP_PROXY"] == nil, "HTTP_PROXY is in metaVariables")
            if report.values("Proxy").isEmpty, probe.isBehindGateway {
                return "the front server dropped Proxy (the process environment is checked by SluiceCGITests)"
            }
            try expectEqual(report.values("Proxy"), ["http://198.51.100.7:3128"], "Proxy fields")
            return "Proxy in headers only (the process environment is checked by SluiceCGITests)"
        },
    ]

    /// A case that sends `Host: host:port` (the port the client connected to) and expects
    /// serverName to be `host` without brackets.
    private static func hostCase(_ id: String, host: String, _ summary: String) -> ConformanceCase {
        ConformanceCase(id, ["REQ-8", "HTTP-1", "CGI-6"], summary) { probe in
            let connection = try probe.connect()
            defer { connection.disconnect() }
            try connection.write(probe.head("GET", "/", [("Host", "\(host):\(probe.target.port)")], host: false))
            let report = try ProbeSession.report(from: connection.responses.readResponse())
            let name = String(host.filter { $0 != "[" && $0 != "]" })
            try expectEqual(report.serverName, name, "serverName")
            try expectEqual(report.serverPort, probe.target.port, "serverPort")
            return "\(report.serverName) port \(report.serverPort)"
        }
    }

    /// A case that requests `relative` below the mount and expects `pathInfo`.
    private static func pathCase(_ id: String, _ relative: String, _ pathInfo: String, _ summary: String) -> ConformanceCase {
        ConformanceCase(id, ["REQ-4", "REQ-3"], summary) { probe in
            let report = try probe.report(relative)
            try expectEqual(report.pathInfo, pathInfo, "pathInfo of \(relative)")
            try expectEqual(report.scriptName, probe.target.mountPath, "scriptName")
            try expectEqual(report.target, probe.path(relative), "target")
            return "\(relative) gives \(quoted(pathInfo))"
        }
    }
}

/// Whether `text` is an IPv4 or IPv6 address.
func isIPAddress(_ text: String) -> Bool {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    if parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) { return true }
    return text.contains(":") && text.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
}
