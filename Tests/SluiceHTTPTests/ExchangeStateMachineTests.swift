// One exchange's state machine driven directly: how a final head is framed, and what its
// request body's states allow (Spec HTTP-2, RESP-6, BODY-6).

import NIOHTTP1
import Sluice
import Testing

@testable import SluiceHTTP

@Suite("An exchange's state machine")
struct ExchangeStateMachineTests {
    static func exchange(
        _ method: HTTPMethod = .GET, version: HTTPVersion = .http1_1, keepAlive: Bool = true, declaredLength: Int? = nil,
        chunked: Bool = false, expectsContinue: Bool = false
    ) -> ExchangeStateMachine<String> {
        ExchangeStateMachine(
            id: 1, head: HTTPRequestHead(version: version, method: method, uri: "/"),
            accepted: AcceptedHead(declaredLength: declaredLength, isChunked: chunked, host: "a", expectsContinue: expectsContinue),
            persistence: keepAlive ? .keepAlive : .close
        )
    }

    @Test("[HTTP-2] framing: Content-Length when declared, else chunked for HTTP/1.1 and close-delimited for HTTP/1.0; HEAD and bodiless statuses get neither")
    func framing() {
        var declared = Self.exchange()
        #expect(declared.headSent(status: .ok, hasContentLength: true, bodyFollows: true) == HeadFraming())
        var chunked = Self.exchange()
        #expect(chunked.headSent(status: .ok, hasContentLength: false, bodyFollows: true) == HeadFraming(isChunked: true))
        var head = Self.exchange(.HEAD)
        #expect(head.headSent(status: .ok, hasContentLength: false, bodyFollows: true) == HeadFraming())
        var noContent = Self.exchange()
        #expect(noContent.headSent(status: .noContent, hasContentLength: false, bodyFollows: true) == HeadFraming())
        var old = Self.exchange(version: .http1_0)
        #expect(old.headSent(status: .ok, hasContentLength: false, bodyFollows: true) == HeadFraming(connection: .close))
        var oldKept = Self.exchange(version: .http1_0)
        #expect(oldKept.headSent(status: .ok, hasContentLength: true, bodyFollows: true) == HeadFraming(connection: .keepAlive))
        var closing = Self.exchange(keepAlive: false)
        #expect(closing.headSent(status: .ok, hasContentLength: true, bodyFollows: true) == HeadFraming(connection: .close))
    }

    @Test("[BODY-6] a request that expects 100-continue starts awaiting it; body bytes that come anyway start the body")
    func continueStates() {
        var exchange = Self.exchange(.PUT, declaredLength: 5, expectsContinue: true)
        guard case .awaitingContinue = exchange.request else {
            Issue.record("\(exchange.request)")
            return
        }
        guard case .buffered = exchange.bodyReceived(.init(string: "he"), limits: .init()) else {
            Issue.record("not buffered")
            return
        }
        guard case .receiving = exchange.request else {
            Issue.record("\(exchange.request)")
            return
        }
        #expect(exchange.headSent(status: .ok, hasContentLength: false, bodyFollows: true) == HeadFraming(isChunked: true))
    }

    @Test("[HTTP-2] a request without a body awaits only its end, so a response that ends first waits for it without a timer")
    func bodilessRequest() {
        var exchange = Self.exchange()
        guard case .awaitingEnd = exchange.request else {
            Issue.record("\(exchange.request)")
            return
        }
        _ = exchange.headSent(status: .ok, hasContentLength: true, bodyFollows: false)
        guard case .awaitingRequestEnd = exchange.responseEnded(limits: .init()) else {
            Issue.record("not awaiting the end")
            return
        }
        #expect(exchange.endReceived() == nil)
        #expect(exchange.isFinished)
    }
}
