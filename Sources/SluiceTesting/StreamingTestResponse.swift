// A response whose body is still arriving.

public import Sluice

/// A response as the test client receives it: the head at once, the body as the application
/// writes it. ``TestRequest/stream(_:)`` hands one to the test.
///
/// ```swift
/// try await client.get("/events").stream { response in
///     var chunks = response.body.makeAsyncIterator()
///     #expect(try await chunks.next() == Array("data: 1\n\n".utf8))  // arrived before the app went on
///     ready.signal()
///     response.disconnect()                                          // the client goes away
///     #expect(await response.completion().clientDisconnected)
/// }
/// ```
public struct StreamingTestResponse: Sendable {
    /// The status.
    public let status: Response.Status
    /// The header fields as the server sent them, in order, repeats kept.
    public let headers: Headers
    /// The informational responses that came before the head, `100 Continue` included.
    public let informational: [InformationalResponse]
    /// Whether the test server sent `100 Continue` (Spec BODY-6).
    public let continueSent: Bool

    let exchange: Exchange
    let server: Task<Completion, Never>

    init(head: (status: Response.Status, headers: Headers), exchange: Exchange, server: Task<Completion, Never>) {
        status = head.status
        headers = head.headers
        let facts = exchange.record.snapshot
        informational = facts.informational
        continueSent = facts.continueSent
        self.exchange = exchange
        self.server = server
    }

    /// The body, as the chunks the server passed on: at each flush, when its 64 KiB buffer
    /// filled, and at the end. It can be read once.
    public var body: ResponseBodyChunks { ResponseBodyChunks(exchange: exchange) }

    /// The trailer fields, once the body has been read to its end (Spec RESP-11).
    public var trailers: Headers? { exchangeFacts.trailers }

    /// The body offsets at which the application flushed so far (Spec RESP-9).
    public var flushOffsets: [Int] { exchangeFacts.flushOffsets }

    /// What the test server noted so far.
    var exchangeFacts: ExchangeRecord.Facts { exchange.record.snapshot }

    /// Goes away mid-response, like a client that closes its connection: the application's
    /// task is cancelled, its body reads and writes fail with ``ClientDisconnected``, and its
    /// completion hooks run with that error (Spec LIFE-4).
    public func disconnect() {
        exchange.disconnect(server)
    }

    /// Reads and drops the rest of the body, waits for the exchange to end, and returns its
    /// outcome — after the completion hooks ran (Spec LIFE-3).
    public func completion() async -> Completion {
        // An aborted body's error is the completion's error; nothing is lost by dropping it here.
        while (try? await exchange.receiveBodyChunk()) != nil {}
        return await server.value
    }
}

/// The chunks of a response body, in the order the server passed them on.
public struct ResponseBodyChunks: AsyncSequence, Sendable {
    /// A chunk of body bytes.
    public typealias Element = [UInt8]

    let exchange: Exchange

    /// Returns an iterator; all iterators share one body.
    public func makeAsyncIterator() -> Iterator {
        Iterator(exchange: exchange)
    }

    /// Reads the chunks of a response body.
    public struct Iterator: AsyncIteratorProtocol {
        let exchange: Exchange
        var ended = false

        /// The next chunk, or `nil` after the last.
        ///
        /// - Throws: ``TestClientError/responseAborted(_:)`` when the body ended abnormally
        ///   (Spec ERR-2).
        public mutating func next() async throws -> [UInt8]? {
            guard !ended, let chunk = try await exchange.receiveBodyChunk() else {
                ended = true
                return nil
            }
            return chunk
        }
    }
}
