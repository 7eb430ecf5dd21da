// Fuzz harness: splitting a request-target and reading the authority, port and protocol
// values CGI servers pass (Spec REQ-2, REQ-5, REQ-8, CGI-6, MOUNT-3).
// Module under test: SluiceCGIWire

@testable import Sluice
@testable import SluiceCGIWire
import SluiceGateway

/// The input is NUL-separated: a target, an authority (`Host`), a port, a protocol, a mount
/// prefix. Each parser must accept anything and keep its promises.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTarget(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    var input = FuzzInput(data, count)
    let raw = input.text(until: 0)
    let target = RequestTarget(raw)
    let path = target.encodedPath
    let query = target.query
    // Compared as bytes: as Characters, a prepended mark (U+0600, U+070F…) at the end of the path
    // joins the `?` after it in the target, and the path would not seem to start it.
    require(raw.utf8.starts(with: path.utf8), "the path \(String(reflecting: path)) is not where \(String(reflecting: raw)) starts")
    require(!query.utf8.contains(UInt8(ascii: "#")), "the query \(String(reflecting: query)) holds a fragment")
    if !query.isEmpty {
        require(raw.utf8.firstRange(of: ("?" + query).utf8) != nil, "the query \(String(reflecting: query)) is not in \(String(reflecting: raw))")
    }

    let authority = input.text(until: 0)
    let parsed = Authority(authority)
    let host = parsed.host
    require(authority.hasPrefix("[") || authority.utf8.starts(with: host.utf8), "host \(String(reflecting: host)) of \(String(reflecting: authority))")
    require(authority.hasPrefix("[") || !host.contains(":"), "host \(String(reflecting: host)) keeps a port")
    if let port = parsed.port {
        require((1...65535).contains(port), "port \(port) of \(String(reflecting: authority))")
    }

    let port = input.text(until: 0)
    if let parsed = Request.port(port) {
        require((0...65535).contains(parsed) && String(parsed) == String(Int(port) ?? -1), "port \(parsed) from \(String(reflecting: port))")
    }
    let version = input.text(until: 0)
    if let accepted = Request.httpVersion(version) {
        require(FieldGrammar.isHTTPVersion(accepted), "protocol \(String(reflecting: accepted)) from \(String(reflecting: version))")
    }

    let prefix = input.text(until: 0)
    let mount = Mount.normalise(prefix)
    require(mount.isEmpty || mount.startsWithSlash && !mount.endsWithSlash && !zip(mount.utf8, mount.utf8.dropFirst()).contains { $0 == UInt8(ascii: "/") && $1 == UInt8(ascii: "/") }, "mount \(String(reflecting: mount))")
    let decoded = target.decodedPath
    if let (scriptName, pathInfo) = Mount.split(decoded, at: prefix) {
        require(scriptName + pathInfo == decoded, "\(String(reflecting: scriptName)) + \(String(reflecting: pathInfo)) is not \(String(reflecting: decoded))")
        require(pathInfo.isEmpty || pathInfo.utf8.first == UInt8(ascii: "/"), "pathInfo \(String(reflecting: pathInfo))")
    }
    return 0
}
