// A response body read from another framework's stream of byte chunks, one chunk at a time.

public import Sluice

extension ResponseBody {
    /// A body that writes each chunk of `chunks` as the server asks for it.
    ///
    /// The next chunk is read only after the previous one was written, so a slow client slows
    /// the producer down (Spec RESP-15) and nothing is buffered beyond one chunk. An error the
    /// sequence throws ends the body early, and the server aborts the response (Spec ERR-2).
    ///
    /// - Parameters:
    ///   - chunks: The framework's body, such as OpenAPIRuntime's `HTTPBody`; iterated once.
    ///   - length: The number of bytes the chunks add up to, when the framework knows it.
    public init<Chunks: AsyncSequence & Sendable>(chunks: Chunks, length: Int?)
    where Chunks.Element: Collection<UInt8> {
        self.init(length: length) { writer in
            for try await chunk in chunks where !chunk.isEmpty {
                try await writer.write(Array(chunk))
            }
        }
    }
}
