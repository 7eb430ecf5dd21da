// The response side of one exchange, and how its final head is framed.

/// Where a response stands on the wire.
enum ResponseState: Equatable {
    /// No final head has gone out. `bodyInHand` says the application's body is bytes in hand
    /// that the server declined to send in one piece: the head that follows is not for a body
    /// still to be produced.
    case awaitingHead(bodyInHand: Bool)
    /// The final head went out; body bytes may follow.
    case sendingBody
    /// The response is complete on the wire.
    case ended
}

/// What goes on the wire with a final head besides the application's fields, as the exchange
/// decided it.
struct HeadFraming: Equatable {
    /// The `Connection` field the server adds.
    enum ConnectionField: Equatable {
        /// `Connection: close`: the connection closes after this response.
        case close
        /// `Connection: keep-alive`, for an HTTP/1.0 client that asked to keep the connection.
        case keepAlive
    }

    /// Send `100 Continue` before the head: the client waits for it before it sends the body,
    /// and the body is read while the response streams (Spec BODY-6).
    var sendsContinue = false
    /// Add `Transfer-Encoding: chunked`: a body of unknown length to an HTTP/1.1 client.
    var isChunked = false
    /// The `Connection` field to add, if any.
    var connection: ConnectionField?
}
