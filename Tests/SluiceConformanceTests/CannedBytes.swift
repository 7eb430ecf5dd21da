// Canned server bytes for the response reader, handed out in pieces as a socket would.

@testable import SluiceConformance

/// A byte source that returns `pieces` one by one, then the end of the stream.
final class CannedBytes: ByteSource {
    private var pieces: [[UInt8]]

    init(_ pieces: [String]) {
        self.pieces = pieces.map { Array($0.utf8) }
    }

    func receive() throws -> [UInt8]? {
        pieces.isEmpty ? nil : pieces.removeFirst()
    }

    /// A reader over the pieces.
    static func reader(_ pieces: String...) -> ResponseReader {
        ResponseReader(source: CannedBytes(pieces))
    }
}
