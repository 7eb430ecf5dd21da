// Fuzz harness: CGI and FastCGI meta-variables to a Request (Spec chapter CGI, REQ-1 to REQ-15).
// Module under test: SluiceCGIWire

@testable import Sluice
import SluiceGateway
@testable import SluiceCGIWire

/// The input's first byte picks the path split; the rest is `NAME=value` entries separated by
/// NUL, as a FastCGI server's params or a CGI environment arrive. Either the mapping refuses
/// the variables with a ``MetaVariableError`` — which must become a 400 or 500 — or it builds a
/// request that keeps every promise the Spec makes about one.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMetaVariables(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    var input = FuzzInput(data, count)
    let split: PathSplit = input.byte() % 2 == 0 ? .fromVariables : .wholePath
    // The entries one after another in one buffer, as an environment or libfcgi holds them.
    var flat: [UInt8] = []
    var ranges: [Range<Int>] = []
    for entry in input.pieces(separatedBy: 0) {
        ranges.append(flat.count..<(flat.count + entry.count))
        flat += entry
    }
    let variables = flat.withUnsafeBytes { buffer in
        MetaVariables(count: ranges.count) { index in UnsafeRawBufferPointer(rebasing: buffer[ranges[index]]) }
    }
    let request: Request
    do {
        request = try Request(
            metaVariables: variables, errorLog: .discarding, capabilities: ServerCapabilities(), pathSplit: split
        ) { length in RequestBody(expectedLength: length, source: EmptySource()) }
    } catch {
        let status = Rejection(error).status.code
        require(status == 400 || status == 500, "\(error) answered \(status)")
        require(!Rejection(error).reason.utf8.contains { $0 == 0x0A || $0 == 0x0D || $0 == 0 }, "a log line with a line break: \(error)")
        return 0
    }
    require(!request.method.rawValue.isEmpty && FieldGrammar.isToken(request.method.rawValue), "method \(request.method)")
    require(request.target.startsWithSlash, "target \(String(reflecting: request.target))")
    for (name, path) in [("scriptName", request.scriptName), ("pathInfo", request.pathInfo)] {
        require(UnsafePath.reason(inDecoded: path.utf8) == nil, "\(name) \(String(reflecting: path))")
    }
    require(request.pathInfo.isEmpty || request.pathInfo.startsWithSlash, "pathInfo \(String(reflecting: request.pathInfo))")
    require(request.scriptName.isEmpty || request.scriptName.startsWithSlash && !request.scriptName.endsWithSlash, "scriptName \(String(reflecting: request.scriptName))")
    require((1...65535).contains(request.serverPort), "serverPort \(request.serverPort)")
    require(!request.serverName.isEmpty, "empty serverName")
    require(FieldGrammar.isHTTPVersion(request.serverProtocol), "serverProtocol \(String(reflecting: request.serverProtocol))")
    require(request.scheme == "http" || request.scheme == "https", "scheme \(request.scheme)")
    require(request.remotePort.map { (0...65535).contains($0) } ?? true, "remotePort \(String(describing: request.remotePort))")
    for field in request.headers {
        require(FieldGrammar.isToken(field.name), "header name \(String(reflecting: field.name))")
        require(!FieldGrammar.containsLineBreakOrNul(field.value), "header value \(String(reflecting: field.value))")
    }
    let leftovers = request.metaVariables
    require(!leftovers.keys.contains { $0.hasPrefix("HTTP_") }, "an HTTP_ variable in metaVariables")
    if let length = request.body.expectedLength {
        require(request.headers.values(for: "Content-Length") == [String(length)], "Content-Length \(request.headers.values(for: "Content-Length")) for \(length)")
    }
    return 0
}

/// A body source with nothing in it: the harness reads no body.
private struct EmptySource: RequestBodySource {
    mutating func next() async throws -> [UInt8]? { nil }
}
