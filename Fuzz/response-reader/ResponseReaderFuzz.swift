// Fuzz harness: the conformance client's HTTP/1.1 response parser, which reads whatever a
// server under test sends (Sources/SluiceConformance/Client/ResponseReader.swift).
// Module under test: SluiceConformance

@testable import SluiceConformance

/// The input's first byte is the size of the pieces the bytes arrive in (1 to 256), the second
/// picks the request's method; the rest is what the server sent. The reader must throw or
/// return responses, never crash or loop: a body no longer than the bytes that arrived, a
/// complete body exactly as long as its framing says.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResponseReader(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    var input = FuzzInput(data, count)
    let pieceSize = Int(input.byte()) + 1
    let method = input.byte() % 4 == 0 ? "HEAD" : "GET"
    let received = input.rest()
    let reader = ResponseReader(source: CannedBytes(received, pieceSize: pieceSize))
    // Each response consumes at least its status line: a bound on how many there can be.
    for _ in 0...received.count {
        guard let response = try? reader.readResponse(method: method) else { break }
        require(response.body.count <= received.count, "a body of \(response.body.count) bytes from \(received.count)")
        if case let .contentLength(length) = response.framing, response.isComplete {
            require(response.body.count == length, "a complete body of \(response.body.count) bytes for Content-Length \(length)")
        }
        if response.framing == .none {
            require(response.body.isEmpty, "a body where the framing allows none")
        }
        _ = try? reader.readInterim()
    }
    return 0
}
