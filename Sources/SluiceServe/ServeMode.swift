// Which adapter serves, from what was asked for and what the process was started with.

import SluiceCGI
import SluiceFastCGI
import SluiceHTTP

/// Where the HTTP server listens; both adapters call their type `ListenAddress`.
typealias HTTPListenAddress = SluiceHTTP.ListenAddress
/// Where the FastCGI responder listens.
typealias FastCGIListenAddress = SluiceFastCGI.ListenAddress

/// What `--http`, `--fastcgi` or `--systemd` (or their variables) asked for.
enum RequestedMode: Equatable {
    case http(HTTPListenAddress)
    case fastCGI(FastCGIListenAddress)
    case systemd(SystemdProtocol)
}

/// The adapter that serves, and on what (CGI is chosen earlier, before any parsing:
/// ``startsAsCGI(hasVariable:detected:)``).
enum ServeMode: Equatable {
    case http(HTTPListenAddress)
    case fastCGI(FastCGIListenAddress)

    /// Where HTTP listens when nothing else applies.
    static let defaultHTTPAddress = HTTPListenAddress.tcp(host: "127.0.0.1", port: 8080)

    /// Whether the process serves one CGI request: one of the CGI request variables is set,
    /// even empty, and no listening socket was inherited — descriptor 0 listening means a
    /// FastCGI server started it, whatever it left in the environment (Spec CGI-13). Then
    /// nothing else is considered: a CGI program never listens.
    ///
    /// - Parameters:
    ///   - hasVariable: Whether the environment holds a variable of that name.
    ///   - detected: The listening socket the process inherited; asked only when a CGI
    ///     variable is set.
    static func startsAsCGI(hasVariable: (String) -> Bool, detected: @autoclosure () -> FastCGIListenAddress?) -> Bool {
        CGI.requestVariableNames.contains(where: hasVariable) && detected() == nil
    }

    /// An explicit request wins; then systemd's sockets (HTTP), then a listening socket on
    /// descriptor 0 (FastCGI: what spawn-fcgi and front servers that start their responders
    /// pass); else HTTP on 127.0.0.1:8080. HTTP serves every systemd socket, or those named
    /// `systemdSocketName`.
    static func choose(requested: RequestedMode?, detected: FastCGIListenAddress?, systemdSocketName: String? = nil) -> ServeMode {
        let systemdAddress: HTTPListenAddress = systemdSocketName.map { .systemdSockets(named: $0) } ?? .systemdSocket
        switch requested {
        case let .http(address): return .http(address)
        case let .fastCGI(address): return .fastCGI(address)
        case .systemd(.http): return .http(systemdAddress)
        case .systemd(.fastcgi): return .fastCGI(.systemdSocket)
        case nil: break
        }
        switch detected {
        case .systemdSocket: return .http(systemdAddress)
        case .some(let address): return .fastCGI(address)
        case nil: return .http(defaultHTTPAddress)
        }
    }

    /// Whether it serves sockets systemd passed.
    var servesSystemdSockets: Bool {
        switch self {
        case .http(.systemdSocket), .http(.systemdSockets), .fastCGI(.systemdSocket): true
        case .http, .fastCGI: false
        }
    }
}

extension HTTPListenAddress {
    /// Reads `HOST:PORT`, `[IPv6]:PORT`, `:PORT` (every interface), `PORT` (127.0.0.1) or a
    /// unix socket path (starting with `/` or `.`); `nil` for anything else.
    init?(parsing text: String) {
        if text.hasPrefix("/") || text.hasPrefix(".") {
            self = .unixSocket(path: text)
            return
        }
        if let port = Self.port(text[...]) {
            self = .tcp(host: "127.0.0.1", port: port)
            return
        }
        guard let colon = text.lastIndex(of: ":"), let port = Self.port(text[text.index(after: colon)...]) else { return nil }
        var host = text[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") {
            host = host.dropFirst().dropLast()
        }
        self = .tcp(host: host.isEmpty ? "::" : String(host), port: port)
    }

    private static func port(_ text: Substring) -> Int? {
        guard let port = Int(text), (0...65535).contains(port) else { return nil }
        return port
    }
}
