// A client's data frames joined into messages, and checked on the way (RFC 6455 sections 5.4,
// 5.6 and 8.1; Spec WS-6, WS-8).

import NIOCore
import NIOWebSocket
import Sluice

/// Joins the fragments of a client's text and binary messages: a message starts with a text or
/// binary frame, continues with continuation frames and ends with one whose FIN bit is set. Text
/// is checked for UTF-8 as each fragment arrives; a message may not grow past the limit.
struct WebSocketMessageAssembly {
    /// The largest message, in payload bytes.
    let maxMessageBytes: Int
    /// The message in progress, if a fragmented one is.
    private var current: (isText: Bool, payload: ByteBuffer, utf8: UTF8Validator)?

    init(maxMessageBytes: Int) {
        self.maxMessageBytes = maxMessageBytes
    }

    /// What a data frame made of the message in progress.
    enum Outcome: Equatable {
        /// More fragments are due.
        case incomplete
        /// A whole message.
        case message(WebSocketMessage)
        /// The frame breaks the protocol or the limit: fail the connection with this close.
        case violation(WebSocketClose)
    }

    /// Takes a text, binary or continuation frame's `payload` (unmasked).
    mutating func take(_ opcode: WebSocketOpcode, fin: Bool, payload: ByteBuffer) -> Outcome {
        var message: (isText: Bool, payload: ByteBuffer, utf8: UTF8Validator)
        switch (opcode, current) {
        case (.continuation, nil):
            return .violation(WebSocketClose(code: 1002, reason: "continuation frame without a message to continue"))
        case (.continuation, let inProgress?):
            message = inProgress
            current = nil
            guard message.payload.readableBytes + payload.readableBytes <= maxMessageBytes else { return tooBig() }
            var payload = payload
            message.payload.writeBuffer(&payload)
        case (_, .some):
            return .violation(WebSocketClose(code: 1002, reason: "a new message began before the fragmented one ended"))
        case (_, nil):
            guard payload.readableBytes <= maxMessageBytes else { return tooBig() }
            message = (opcode == .text, payload, UTF8Validator())
        }
        if message.isText {
            // Only the bytes added now are checked: the validator carries the character in progress.
            let added = payload.readableBytesView
            guard message.utf8.consume(added), !fin || message.utf8.isComplete else {
                return .violation(WebSocketClose(code: 1007, reason: "text is not valid UTF-8"))
            }
        }
        guard fin else {
            current = message
            return .incomplete
        }
        let bytes = Array(message.payload.readableBytesView)
        return .message(message.isText ? .text(String(decoding: bytes, as: UTF8.self)) : .binary(bytes))
    }

    private func tooBig() -> Outcome {
        .violation(WebSocketClose(code: 1009, reason: "message over \(maxMessageBytes) bytes"))
    }
}
