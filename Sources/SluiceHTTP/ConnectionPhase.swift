// Events the exchange handler sends to the connection guard.

/// What the exchange handler tells ``ConnectionGuard`` about the connection, as outbound
/// user events.
enum ConnectionPhase: Sendable {
    /// A request head arrived: the head timeouts and size limit stop for this request.
    case requestHeadReceived
    /// The last exchange is complete and the connection stays open for the next request.
    case idle
}
