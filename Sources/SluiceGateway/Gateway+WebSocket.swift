// The driver's part of a WebSocket: refusing what cannot be accepted, completing the handshake,
// running the session and ending it (Spec WS-1 to WS-4, WS-9 to WS-11).

import Sluice

/// Why an application's WebSocket acceptance cannot be sent as it returned it.
public struct InvalidWebSocketAcceptance: Error, Hashable, CustomStringConvertible {
    /// What is wrong with it, in one sentence.
    public var reason: String

    /// `invalid WebSocket acceptance: reason`.
    public var description: String { "invalid WebSocket acceptance: \(reason)" }
}

extension Gateway {
    /// What became of an application's WebSocket acceptance.
    enum WebSocketOutcome {
        /// The handshake went out and the session ran: the request is over.
        case ended(Completion)
        /// The handshake was refused: `response` goes out instead, like any other.
        case refused(Response, applicationError: (any Error)?)
    }

    /// Completes the handshake for `response`'s acceptance and runs its session, or says what
    /// to answer instead (Spec WS-4): 501 where the server cannot carry a WebSocket, 426 for a
    /// request that asks for none or for another version, 400 for a malformed handshake, 500
    /// for an acceptance that breaks the rules (a subprotocol the client did not offer).
    static func runWebSocket(_ response: Response, for request: Request, through writer: some ResponseWriter) async -> WebSocketOutcome {
        guard let acceptance = response.acceptedWebSocket else { return .refused(response, applicationError: nil) }
        guard request.capabilities.supportsWebSocket else {
            return .refused(refusal(.notImplemented, "this server cannot carry a WebSocket (supportsWebSocket is false)", request), applicationError: nil)
        }
        let handshake: WebSocketHandshake
        switch WebSocketHandshake.of(request) {
        case let .success(made):
            handshake = made
        case .failure(.notAnUpgrade):
            return .refused(refusal(.upgradeRequired, "the request is no WebSocket handshake", request), applicationError: nil)
        case let .failure(.unsupportedVersion(version)):
            var answer = refusal(.upgradeRequired, "Sec-WebSocket-Version \(version), not 13", request)
            answer.headers.append(name: "Sec-WebSocket-Version", value: "13")
            return .refused(answer, applicationError: nil)
        case let .failure(.malformed(reason)):
            return .refused(refusal(.badRequest, "malformed WebSocket handshake: \(reason)", request), applicationError: nil)
        }
        var head = response
        head.status = .switchingProtocols
        let headers: Headers
        switch acceptedHead(&head, acceptance, handshake) {
        case let .success(fields):
            headers = fields
        case let .failure(invalid):
            return .refused(failureResponse(for: invalid, request), applicationError: invalid)
        }
        let transport: any WebSocketTransport
        do {
            guard let accepted = try await writer.acceptWebSocket(handshake, subprotocol: acceptance.subprotocol, headers: headers) else {
                return .refused(refusal(.notImplemented, "the adapter cannot carry a WebSocket", request), applicationError: nil)
            }
            transport = accepted
        } catch {
            return .ended(Completion(status: nil, bodyBytesSent: 0, error: disconnection(error) ?? error))
        }
        let socket = WebSocket(transport: transport, subprotocol: acceptance.subprotocol)
        let failure = await run(acceptance.session, on: socket, for: request)
        let ending = await socket.end(with: failure == nil ? .normalClosure : .internalError)
        return .ended(Completion(status: .switchingProtocols, bodyBytesSent: socket.bytesSent, error: failure ?? ending))
    }

    /// Runs the session; returns the error it failed with, logged, unless it ended because the
    /// client closed, went away or broke the protocol — the transport's ending says those.
    private static func run(_ session: @Sendable (WebSocket) async throws -> Void, on socket: WebSocket, for request: Request) async -> (any Error)? {
        do {
            try await session(socket)
            return nil
        } catch WebSocketError.closed {
            return nil
        } catch WebSocketError.protocolViolation {
            return nil
        } catch {
            if disconnection(error) != nil { return nil }
            request.errorLog.write("sluice: \(request.method) \(request.target): WebSocket session failed: \(error)")
            return error
        }
    }

    /// The head of the `101` for `head`, the acceptance: the application's fields checked as any
    /// head's (Spec RESP-3, SEC-2), without the `Sec-WebSocket-` fields, which are the server's;
    /// or why it cannot be sent.
    private static func acceptedHead(
        _ head: inout Response, _ acceptance: WebSocketAcceptance, _ handshake: WebSocketHandshake
    ) -> Result<Headers, InvalidWebSocketAcceptance> {
        if let subprotocol = acceptance.subprotocol, !handshake.subprotocols.contains(subprotocol) {
            return .failure(InvalidWebSocketAcceptance(reason: "subprotocol \(subprotocol.debugDescription) was not offered (WS-5)"))
        }
        switch ResponseHead.fields(taking: &head) {
        case var .success(fields):
            for name in fields.map(\.name) where name.utf8.count > 14 && String(name.prefix(14)).equalsIgnoringASCIICase("Sec-WebSocket-") {
                fields.remove(name)
            }
            return .success(fields)
        case let .failure(invalid):
            return .failure(InvalidWebSocketAcceptance(reason: invalid.reason))
        }
    }

    /// The plain response the server answers with instead of a WebSocket, logged once; a 426
    /// names the protocol to upgrade to (RFC 9110 section 15.5.22).
    private static func refusal(_ status: Response.Status, _ reason: String, _ request: Request) -> Response {
        request.errorLog.write("sluice: \(request.method) \(request.target): answered \(status.code): \(reason)")
        var answer = Response.status(status)
        if status.code == 426 {
            answer.headers.append(name: "Upgrade", value: "websocket")
            answer.headers.append(name: "Connection", value: "Upgrade")
        }
        return answer
    }
}
