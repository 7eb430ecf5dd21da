// Canned server bytes for the response reader, handed out in pieces as a socket would: what its
// tests and its fuzz harness (Fuzz/response-reader) read from.

/// A byte source that returns its pieces one by one, then the end of the stream.
final class CannedBytes: ByteSource {
    private let pieces: [[UInt8]]
    private var next = 0

    /// A source of these pieces, in order.
    init(pieces: [[UInt8]]) {
        self.pieces = pieces
    }

    /// A source of `bytes` cut into pieces of `pieceSize` bytes (the last may be shorter).
    convenience init(_ bytes: [UInt8], pieceSize: Int) {
        self.init(
            pieces: stride(from: 0, to: bytes.count, by: max(pieceSize, 1)).map {
                Array(bytes[$0..<min($0 + max(pieceSize, 1), bytes.count)])
            })
    }

    func receive() throws -> [UInt8]? {
        guard next < pieces.count else { return nil }
        defer { next += 1 }
        return pieces[next]
    }
}
