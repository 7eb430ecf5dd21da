// The request side of one exchange: the body as it arrives and as the application reads it.

import NIOCore

/// Where a request's body stands, from the head's arrival to the end of the message.
///
/// `Reader` is what an application waiting for the next chunk waits with: a continuation in
/// the server, any value in tests. It is held here, not beside the state, so that a waiting
/// reader and the state that explains why it waits are one value.
enum RequestBodyState<Reader> {
    /// The request declared no body: only the end of the message is still to come.
    case awaitingEnd
    /// The client waits for `100 Continue` before it sends the body it declared, and nobody
    /// has asked for the body yet (Spec BODY-6).
    case awaitingContinue
    /// Body bytes are arriving. `buffer` holds what the application has not taken yet;
    /// `reader` waits for the next chunk when there is none.
    case receiving(BodyBuffer, reader: Reader?)
    /// The body passed the size limit, `limit` bytes: every read fails, and the rest is
    /// dropped as it arrives until the end of the message (`messageEnded`) (Spec SEC-3).
    case overLimit(limit: Int, messageEnded: Bool)
    /// The response ended before the body was read to its end: the rest is read and dropped,
    /// `dropped` bytes so far (Spec BODY-5).
    case discarding(dropped: Int)
    /// The end of the message arrived; `buffer` holds what the application has not taken.
    case ended(BodyBuffer)

    /// Whether the end of the message has arrived: what follows on the wire belongs to the
    /// next request.
    var hasEnded: Bool {
        switch self {
        case .ended, .overLimit(_, messageEnded: true): true
        case .awaitingEnd, .awaitingContinue, .receiving, .overLimit, .discarding: false
        }
    }
}

/// Body chunks received and not yet read, and how many bytes arrived in all.
struct BodyBuffer {
    /// The chunks, oldest first; made on the first chunk that has to wait.
    private var chunks: CircularBuffer<ByteBuffer>?
    /// How many bytes the chunks hold.
    private(set) var bufferedBytes = 0
    /// How many body bytes arrived, buffered or not.
    private(set) var receivedBytes = 0

    /// Counts `count` more bytes received.
    mutating func count(_ count: Int) {
        receivedBytes += count
    }

    /// Keeps `chunk` for the application.
    mutating func append(_ chunk: ByteBuffer) {
        if chunks == nil { chunks = CircularBuffer(initialCapacity: 4) }
        chunks!.append(chunk)
        bufferedBytes += chunk.readableBytes
    }

    /// The oldest chunk, if any.
    mutating func takeFirst() -> ByteBuffer? {
        guard let chunk = chunks?.popFirst() else { return nil }
        bufferedBytes -= chunk.readableBytes
        return chunk
    }
}
