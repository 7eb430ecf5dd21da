// MB/s parsing one large multipart/form-data upload held in memory, fed in 64 KiB chunks
// as a server would: the toolkit's MultipartParser against multipart-kit's MultipartParser.

import MultipartKit
import SluiceToolkit

let megabytes = Int(CommandLine.arguments.dropFirst().first ?? "64") ?? 64
let boundary = "----sluice-bench-boundary"
let payload = (0..<(megabytes << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 7) }
let body =
    Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
    + payload + Array("\r\n--\(boundary)--\r\n".utf8)
let chunks = stride(from: 0, to: body.count, by: 65_536).map { Array(body[$0..<min($0 + 65_536, body.count)]) }
// multipart-kit takes ByteBuffers: made beforehand, as a NIO server hands them over.
let buffers = chunks.map { ByteBuffer(bytes: $0) }

func measure(_ name: String, _ parse: () throws -> Int) rethrows {
    var best = Double.infinity
    let clock = ContinuousClock()
    for _ in 0..<5 {
        var received = 0
        let elapsed = try clock.measure { received = try parse() }
        precondition(received == payload.count, "\(name) handed out \(received) of \(payload.count) bytes")
        best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
    print(name + String(repeating: " ", count: max(1, 16 - name.count)) + "\(Int((Double(body.count) / 1_048_576 / best).rounded())) MB/s")
}

try measure("sluice-toolkit") {
    var parser = MultipartParser(boundary: boundary)!
    var received = 0
    for chunk in chunks {
        parser.append(chunk)
        while let event = try parser.next() {
            if case let .bodyBytes(bytes) = event { received += bytes.count }
        }
    }
    try parser.finish()
    return received
}

try measure("multipart-kit") {
    let parser = MultipartKit.MultipartParser(boundary: boundary)
    var received = 0
    parser.onBody = { received += $0.readableBytes }
    for buffer in buffers { try parser.execute(buffer) }
    return received
}
