// The response an application returns: a head now, a body that may stream later.

/// An application's answer to a request: status, header fields and a body.
///
/// The body may be bytes already in hand or a producer that streams after the application
/// returned; the server writes the head, then runs the body (Spec RESP-1).
public struct Response: Sendable {
    /// The status.
    public var status: Status
    /// The header fields, in order; repeated fields (such as `Set-Cookie`) stay separate.
    public var headers: Headers
    /// The body.
    public var body: ResponseBody
    /// The WebSocket the application accepts with this response, if any: then the server
    /// answers `101 Switching Protocols` and runs the acceptance's session (Spec WS-1).
    /// ``webSocket(subprotocol:headers:_:)`` sets it.
    public var acceptedWebSocket: WebSocketAcceptance? {
        get { webSocket?.acceptance }
        set { webSocket = newValue.map(AcceptedWebSocket.init) }
    }

    /// ``acceptedWebSocket`` behind one reference, so that every other response stays as small.
    private var webSocket: AcceptedWebSocket?

    /// Creates a response.
    public init(status: Status = .ok, headers: Headers = Headers(), body: ResponseBody = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A plain-text response in UTF-8.
    public static func text(_ text: String, status: Status = .ok) -> Response {
        // Room for the Content-Length the gateway adds: the head then needs no second list.
        var headers = Headers()
        headers.reserveCapacity(2)
        headers.append(name: "Content-Type", value: "text/plain; charset=utf-8")
        return Response(status: status, headers: headers, body: ResponseBody(text))
    }

    /// A short plain-text response saying what the status means, for errors a server generates;
    /// with no body for a status that allows none (Spec RESP-7).
    public static func status(_ status: Status) -> Response {
        status.allowsBody ? .text("\(status.code) \(status.reasonPhrase)\n", status: status) : Response(status: status)
    }
}

/// A ``WebSocketAcceptance``, boxed.
private final class AcceptedWebSocket: Sendable {
    let acceptance: WebSocketAcceptance

    init(_ acceptance: WebSocketAcceptance) {
        self.acceptance = acceptance
    }
}
