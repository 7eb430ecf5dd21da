// Canned server bytes for the response reader's tests, written as text.

@testable import SluiceConformance

extension CannedBytes {
    /// A source of these pieces of text, in order.
    convenience init(_ pieces: [String]) {
        self.init(pieces: pieces.map { Array($0.utf8) })
    }

    /// A reader over the pieces.
    static func reader(_ pieces: String...) -> ResponseReader {
        ResponseReader(source: CannedBytes(pieces))
    }
}
