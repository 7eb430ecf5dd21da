// A request body the test writes while the application reads it.

/// A request body that a test feeds chunk by chunk while the application reads it, like a
/// client uploading slowly or with chunked transfer coding.
///
/// ``write(_:)-([UInt8])`` returns once the application has read the chunk: the test server
/// holds at most one chunk, so a body of any size streams through in bounded memory
/// (Spec BODY-2). Call ``finish()`` to end the body.
///
/// ```swift
/// let upload = RequestBodyStream()
/// async let response = client.post("/upload").body(upload).send()
/// try await upload.write("first part, ")
/// try await upload.write("second part")
/// upload.finish()
/// #expect(try await response.status == .ok)
/// ```
///
/// Once the exchange is over — the application answered without reading everything
/// (Spec BODY-5) — further writes return at once and their bytes are dropped, as a server
/// discards a body no one reads. A stream carries the body of one request.
public final class RequestBodyStream: Sendable {
    let chunks = Handoff<[UInt8]>()

    /// Creates an empty stream; attach it to a request with ``TestRequest/body(_:length:)``.
    public init() {}

    /// Sends a chunk and waits until the application has read it.
    ///
    /// - Throws: `CancellationError` when the test's task is cancelled while it waits.
    public func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        try await chunks.send(bytes)
    }

    /// Sends the text's UTF-8 bytes and waits until the application has read them.
    public func write(_ text: String) async throws {
        try await write(Array(text.utf8))
    }

    /// Ends the body: the application's next read reports its end.
    public func finish() {
        chunks.finish()
    }
}
