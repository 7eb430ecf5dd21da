// The WebSocket an application's session talks through.

import Synchronization

/// An open WebSocket, handed to the session of a ``WebSocketAcceptance``: the client's
/// messages as an async sequence, and sending and closing (Spec WS-6 to WS-10).
///
/// ```swift
/// .webSocket { socket in
///     for try await message in socket.messages {
///         if case let .text(text) = message { try await socket.send(.text(text.uppercased())) }
///     }
/// }
/// ```
///
/// ``messages`` is read by one task, once; `send(_:)` may be called from any number of tasks
/// at once, as a chat room broadcasting to its members does.
public final class WebSocket: Sendable {
    /// The subprotocol the application accepted, or `nil`.
    public let subprotocol: String?

    let transport: any WebSocketTransport
    private let messagesTaken = Atomic(false)
    private let payloadBytesSent = Atomic(0)

    /// Creates a WebSocket over an adapter's transport. Servers and test clients call this.
    public init(transport: some WebSocketTransport, subprotocol: String? = nil) {
        self.transport = transport
        self.subprotocol = subprotocol
    }

    /// The client's messages, in order: text, binary, and the pings (already answered by the
    /// server) and pongs it sends. The sequence ends when the closing handshake begins — see
    /// ``closeReceived`` for the client's close — and can be iterated once.
    public var messages: Messages { Messages(socket: self) }

    /// Sends a message whole. Suspends while the client does not read (Spec WS-7); throws
    /// ``WebSocketError/closed`` after the closing handshake began and ``ClientDisconnected``
    /// once the client is gone.
    public func send(_ message: WebSocketMessage) async throws {
        if !message.isData, message.payloadCount > WebSocketMessage.maximumControlPayload {
            throw WebSocketError.controlPayloadTooLong(message.payloadCount)
        }
        try await transport.send(message)
        payloadBytesSent.add(message.payloadCount, ordering: .relaxed)
    }

    /// Sends a text message.
    public func send(_ text: String) async throws {
        try await send(.text(text))
    }

    /// Closes the WebSocket: sends `close` — unless a close frame went out already — and
    /// returns once the client answered with its own or the close timeout passed (Spec WS-9).
    ///
    /// A code that may not be sent (such as 1005 or 1006) goes out as 1011 and a reason over
    /// 123 bytes is cut short (``WebSocketClose/sendable``); ``Lint`` reports both.
    public func close(_ close: WebSocketClose = .normalClosure) async {
        _ = await transport.close(close)
    }

    /// The close frame the client sent, once it arrived: why the session ended from its side.
    public var closeReceived: WebSocketClose? { transport.closeReceived }

    /// How many payload bytes the application's messages carried.
    package var bytesSent: Int { payloadBytesSent.load(ordering: .relaxed) }

    /// Ends the WebSocket after its session returned: closes with `close`, unless it is closed
    /// already, and returns how the connection ended (``WebSocketTransport/close(_:)``).
    package func end(with close: WebSocketClose) async -> (any Error)? {
        await transport.close(close)
    }

    /// The client's messages, as an async sequence that can be iterated once.
    public struct Messages: AsyncSequence, Sendable {
        /// A message.
        public typealias Element = WebSocketMessage

        let socket: WebSocket

        /// Returns an iterator; only the first one reads the messages.
        public func makeAsyncIterator() -> Iterator {
            let taken = socket.messagesTaken.exchange(true, ordering: .acquiringAndReleasing)
            return Iterator(transport: socket.transport, consumedAlready: taken)
        }

        /// Iterates the client's messages.
        public struct Iterator: AsyncIteratorProtocol {
            let transport: any WebSocketTransport
            var consumedAlready: Bool
            var ended = false

            /// The next message, or `nil` once the closing handshake has begun.
            public mutating func next() async throws -> WebSocketMessage? {
                if consumedAlready {
                    consumedAlready = false
                    ended = true
                    throw WebSocketError.alreadyConsumed
                }
                guard !ended else { return nil }
                guard let message = try await transport.receive() else {
                    ended = true
                    return nil
                }
                return message
            }
        }
    }
}
