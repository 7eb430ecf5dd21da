// What a connection knows about the request it is serving.

import NIOCore
import NIOHTTP1
import Sluice

/// The state of one request and its response on a connection; touched only on the event loop.
final class ExchangeState {
    let id: Int
    let version: HTTPVersion
    let isHead: Bool
    let declaredLength: Int?
    /// The client waits for `100 Continue` before it sends the body.
    var awaitsContinue: Bool
    /// The connection closes after this response: the client asked, HTTP/1.0 without
    /// keep-alive, a close-delimited body, or an unread body the server will not discard.
    var closesAfterResponse: Bool

    var task: Task<Void, Never>?
    var headSent = false
    var responseEnded = false

    /// Body chunks received and not yet handed to the application; made on the first one.
    var bodyBuffer: CircularBuffer<ByteBuffer>?
    var bufferedBytes = 0
    var bodyBytesReceived = 0
    /// Bytes of an unread body dropped after the response ended.
    var discardedBytes = 0
    var requestEnded = false
    /// The request declared no body: only the end of the message is still to come.
    var bodyIsEmpty = false
    /// The application finished its response before reading the body: the rest is read and dropped.
    var discardsBody = false
    /// Why the body can no longer be read (it passed the size limit); later input is dropped.
    var bodyFailure: RequestBodyError?
    var bodyWaiter: CheckedContinuation<[UInt8]?, any Error>?
    var bodyTimer: Scheduled<Void>?

    init(id: Int, head: HTTPRequestHead, declaredLength: Int?, awaitsContinue: Bool) {
        self.id = id
        version = head.version
        isHead = head.method == .HEAD
        self.declaredLength = declaredLength
        self.awaitsContinue = awaitsContinue
        closesAfterResponse = !head.isKeepAlive
    }

    /// Whether both directions are done, so the connection can move on.
    var isFinished: Bool { responseEnded && requestEnded }

    func takeBufferedChunk() -> ByteBuffer? {
        guard let chunk = bodyBuffer?.popFirst() else { return nil }
        bufferedBytes -= chunk.readableBytes
        return chunk
    }

    func buffer(_ chunk: ByteBuffer) {
        bodyBuffer = bodyBuffer ?? CircularBuffer(initialCapacity: 4)
        bodyBuffer?.append(chunk)
        bufferedBytes += chunk.readableBytes
    }

    func dropBufferedChunks() {
        bodyBuffer = nil
        bufferedBytes = 0
    }

    func cancelBodyTimer() {
        bodyTimer?.cancel()
        bodyTimer = nil
    }
}
