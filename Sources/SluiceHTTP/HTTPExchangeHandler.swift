// The channel handler between NIO's HTTP/1 codec and the gateway: one per connection.

import Logging
import NIOCore
import NIOHTTP1
import Sluice

/// Turns request heads into ``Request``s, runs the application for each through
/// ``Gateway/respond(to:with:through:)`` in a task of its own, and carries the body both
/// ways with backpressure. NIO's pipelining handler in front of it hands over one request at
/// a time and keeps responses in order.
///
/// The task starts immediately, inside the read that delivered the head, and prefers the
/// connection's event loop as its executor: an application that answers without suspending
/// is answered before the read returns, as a handler written against NIO would, and one that
/// suspends resumes on the thread that owns the socket. Everything here runs on that loop;
/// application tasks reach it through ``ConnectionLink``.
final class HTTPExchangeHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// How many body bytes are buffered for a slow application before reading stops.
    static var bodyBufferLimit: Int { 64 * 1024 }

    private let application: FollowingLocalRedirects
    private let settings: ConnectionSettings
    private let executor: EventLoopTaskExecutor
    private let connectionGuard: ConnectionGuard
    private var context: ChannelHandlerContext!
    /// How requests' tasks reach this handler; one for the connection's lifetime.
    private var link: ConnectionLink?
    private var addresses: ConnectionAddresses!
    private var servers = ServerOfHost()
    private var exchange: ExchangeState?
    private var lastID = 0
    private var readIsHeld = false
    private var writabilityWaiters: [CheckedContinuation<Void, any Error>] = []
    /// Closes the connection when a client leaves a write waiting too long (Spec SEC-3, SEC-5).
    private var writeTimer: Scheduled<Void>?
    private var isClosing = false
    private var isClosed = false

    init(application: FollowingLocalRedirects, settings: ConnectionSettings, executor: EventLoopTaskExecutor, connectionGuard: ConnectionGuard) {
        self.application = application
        self.settings = settings
        self.executor = executor
        self.connectionGuard = connectionGuard
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        addresses = ConnectionAddresses(channel: context.channel)
        link = ConnectionLink(handler: self, eventLoop: context.eventLoop)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        tearDown()
        self.context = nil
        link = nil
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(head): received(head)
        case let .body(bytes): received(bytes)
        case .end: receivedEnd()
        }
    }

    private func received(_ head: HTTPRequestHead) {
        var head = head
        connectionGuard.requestHeadReceived()
        guard !isClosing else { return }
        lastID += 1
        let accepted: AcceptedHead
        switch check(head, limits: settings.limits) {
        case let .success(result): accepted = result
        case let .failure(rejection):
            exchange = ExchangeState(id: lastID, head: head, declaredLength: nil, awaitsContinue: false)
            reject(rejection, method: head.method.rawValue, target: head.uri)
            return
        }
        var host = accepted.host
        if let absolute = accepted.absoluteForm {
            // Spec HTTP-4: the target's authority takes the place of Host.
            head.uri = absolute.originForm
            head.headers.replaceOrAdd(name: "Host", value: absolute.authority)
            host = absolute.authority
        }
        let expectedLength = accepted.declaredLength ?? (accepted.isChunked ? nil : 0)
        let state = ExchangeState(
            id: lastID, head: head, declaredLength: accepted.declaredLength,
            awaitsContinue: accepted.expectsContinue && expectedLength != 0
        )
        state.bodyIsEmpty = expectedLength == 0
        exchange = state
        let link = self.link!
        let id = state.id
        let body: RequestBody =
            expectedLength == 0 ? .empty : RequestBody(expectedLength: expectedLength, source: ChannelRequestBody(connection: link, id: id))
        let request = Request(head: head, host: host, body: body, addresses: addresses, servers: &servers, errorLog: settings.errorLog)
        let application = self.application
        // Moved, not copied, into the task: a copy of a request retains each of its fields.
        state.task = Task.immediate(executorPreference: executor) { [request = consume request] in
            let completion = await Gateway.respond(to: request, with: application, through: ChannelResponseWriter(connection: link, id: id))
            link.complete(id: id, with: completion)
        }
    }

    private func received(_ bytes: ByteBuffer) {
        guard let state = exchange, !isClosing else { return }
        if state.discardsBody {
            state.discardedBytes += bytes.readableBytes
            if state.discardedBytes > settings.limits.maxDiscardedBodyBytes {
                close(reason: "unread request body longer than the discard limit")
            } else {
                armBodyTimer(state)
            }
            return
        }
        guard state.bodyFailure == nil else { return }
        state.bodyBytesReceived += bytes.readableBytes
        guard state.bodyBytesReceived <= settings.limits.maxBodyBytes else {
            // Spec ERR-3: the read fails with tooLarge; the gateway answers 413 if it escapes.
            settings.logger.notice("request body over the limit", metadata: metadata(["limit": "\(settings.limits.maxBodyBytes)"]))
            let failure = RequestBodyError.tooLarge(limit: settings.limits.maxBodyBytes)
            state.bodyFailure = failure
            state.closesAfterResponse = true
            state.dropBufferedChunks()
            state.cancelBodyTimer()
            if let waiter = state.bodyWaiter {
                state.bodyWaiter = nil
                waiter.resume(throwing: failure)
            }
            return
        }
        if let waiter = state.bodyWaiter {
            state.bodyWaiter = nil
            state.cancelBodyTimer()
            waiter.resume(returning: Array(bytes.readableBytesView))
        } else {
            state.buffer(bytes)
        }
    }

    private func receivedEnd() {
        guard let state = exchange, !isClosing else { return }
        state.requestEnded = true
        state.cancelBodyTimer()
        if let waiter = state.bodyWaiter {
            state.bodyWaiter = nil
            waiter.resume(returning: nil)
        }
        if state.isFinished {
            connectionGuard.becameIdle()
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            writeTimer?.cancel()
            writeTimer = nil
            let waiters = writabilityWaiters
            writabilityWaiters = []
            for waiter in waiters { waiter.resume() }
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        tearDown()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is HTTPParserError {
            settings.logger.notice("rejected a malformed request", metadata: metadata(["error": "\(error)"]))
        } else {
            settings.logger.debug("connection error", metadata: metadata(["error": "\(error)"]))
        }
        tearDown()
        context.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, let state = exchange, !state.responseEnded {
            // NIO's pipelining handler closes once this response ends; say so in its head.
            state.closesAfterResponse = true
        }
        context.fireUserInboundEventTriggered(event)
    }

    // MARK: Outbound reads: backpressure

    func read(context: ChannelHandlerContext) {
        if let state = exchange, !state.requestEnded, !state.discardsBody, state.bufferedBytes >= Self.bodyBufferLimit {
            readIsHeld = true
            return
        }
        context.read()
    }

    private func resumeReadingIfHeld() {
        guard readIsHeld else { return }
        readIsHeld = false
        context.read()
    }

    /// Whether a final response head went out and its end did not: nothing else may be
    /// written on the connection then.
    var isResponseInProgress: Bool {
        guard let exchange else { return false }
        return exchange.headSent && !exchange.responseEnded
    }

    // MARK: Calls from the application's task

    func nextBodyChunk(id: Int, continuation: CheckedContinuation<[UInt8]?, any Error>) {
        guard let state = exchange, state.id == id, !isClosed else {
            return continuation.resume(throwing: ClientDisconnected())
        }
        if state.awaitsContinue {
            state.awaitsContinue = false
            if state.headSent {
                // The final response went out without 100; the client will not send the body.
                return continuation.resume(throwing: RequestBodyError.truncated(expected: state.declaredLength ?? 0, received: 0))
            }
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: state.version, status: .continue))), promise: nil)
        }
        if let failure = state.bodyFailure {
            continuation.resume(throwing: failure)
        } else if let chunk = state.takeBufferedChunk() {
            continuation.resume(returning: Array(chunk.readableBytesView))
            if state.bufferedBytes < Self.bodyBufferLimit { resumeReadingIfHeld() }
        } else if state.requestEnded {
            continuation.resume(returning: nil)
        } else {
            state.bodyWaiter = continuation
            armBodyTimer(state)
            resumeReadingIfHeld()
        }
    }

    func writeInformational(id: Int, status: Response.Status, headers: Headers) throws {
        guard let state = exchange, state.id == id, !isClosed, !state.headSent else { throw ClientDisconnected() }
        guard state.version.minor >= 1 else { return }
        var head = HTTPResponseHead(version: state.version, status: HTTPResponseStatus(statusCode: status.code))
        head.headers = try ResponseHeadFields.validated(headers, excluding: .informational)
        context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
    }

    func writeHead(id: Int, status: Response.Status, headers: Headers) throws {
        guard let state = exchange, state.id == id, !isClosed, !state.headSent else { throw ClientDisconnected() }
        sendHead(state, status: status, headers: headers)
    }

    /// Writes a small response whose body is in hand — head, body and end — at once, as a
    /// handler written against NIO would. Returns `false` having written nothing when the
    /// socket is not taking bytes or the body is large: the piece-by-piece writes then wait
    /// for a slow client (Spec SEC-5).
    func writeWholeResponse(id: Int, status: Response.Status, headers: Headers, body: [UInt8]) throws -> Bool {
        guard let state = exchange, state.id == id, !isClosed, !state.headSent else { throw ClientDisconnected() }
        guard body.count <= Self.wholeResponseLimit, context.channel.isWritable else { return false }
        sendHead(state, status: status, headers: headers)
        if !body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        end(state, trailers: nil)
        return true
    }

    /// The largest body ``writeWholeResponse(id:status:headers:body:)`` writes without first
    /// waiting for the socket: small enough that a client which reads nothing can make the
    /// server buffer only this much past the channel's high-water mark.
    static var wholeResponseLimit: Int { 16 * 1024 }

    private func sendHead(_ state: ExchangeState, status: Response.Status, headers: Headers) {
        var (fields, present) = ResponseHeadFields.converted(headers)
        if state.awaitsContinue && !state.requestEnded {
            // Spec BODY-6: no 100 was sent, so the client may never send the body; the
            // connection cannot be reused.
            state.closesAfterResponse = true
        }
        let carriesBody = status.allowsBody && !state.isHead
        if status.allowsBody && !present.contains(.contentLength) {
            if state.version.minor >= 1 {
                if carriesBody { fields.add(name: "Transfer-Encoding", value: "chunked") }
            } else {
                state.closesAfterResponse = true
            }
        }
        if state.closesAfterResponse {
            fields.add(name: "Connection", value: "close")
        } else if state.version.minor == 0 {
            fields.add(name: "Connection", value: "keep-alive")
        }
        ResponseHeadFields.addServerFields(to: &fields, serverHeader: settings.serverHeader, present: present)
        let head = HTTPResponseHead(
            version: state.version, status: HTTPResponseStatus(statusCode: status.code, reasonPhrase: status.reasonPhrase),
            headers: fields
        )
        state.headSent = true
        context.write(wrapOutboundOut(.head(head)), promise: nil)
    }

    /// Writes body bytes; returns whether the caller must wait for the socket to drain.
    func writeBody(id: Int, bytes: [UInt8]) throws -> Bool {
        guard let state = exchange, state.id == id, !isClosed, state.headSent, !state.responseEnded else {
            throw ClientDisconnected()
        }
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
        guard context.channel.isWritable else {
            context.flush()
            return true
        }
        return false
    }

    func waitForWritability(id: Int, continuation: CheckedContinuation<Void, any Error>) {
        guard let state = exchange, state.id == id, !isClosed else {
            return continuation.resume(throwing: ClientDisconnected())
        }
        if context.channel.isWritable {
            continuation.resume()
            return
        }
        writabilityWaiters.append(continuation)
        if writeTimer == nil {
            let timeout = settings.timeouts.responseWrite
            writeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) {
                self.close(reason: "the client read nothing for \(timeout)")
            }
        }
    }

    func flush(id: Int) throws {
        guard let state = exchange, state.id == id, !isClosed, !state.responseEnded else { throw ClientDisconnected() }
        context.flush()
    }

    func finish(id: Int, trailers: Headers?) throws {
        guard let state = exchange, state.id == id, !isClosed, state.headSent, !state.responseEnded else {
            throw ClientDisconnected()
        }
        let trailerFields = try trailers.map { try ResponseHeadFields.validated($0, excluding: .trailers) }
        end(state, trailers: trailerFields)
    }

    /// Ends the response, then reads on, drops an unread body or closes.
    private func end(_ state: ExchangeState, trailers trailerFields: HTTPHeaders?) {
        state.responseEnded = true
        if !state.requestEnded && !state.closesAfterResponse {
            let rest = state.declaredLength.map { $0 - state.bodyBytesReceived } ?? 0
            if rest <= settings.limits.maxDiscardedBodyBytes {
                state.discardsBody = true
                state.dropBufferedChunks()
                if !state.bodyIsEmpty {
                    armBodyTimer(state)
                }
            } else {
                state.closesAfterResponse = true
            }
        }
        if state.isFinished && !state.closesAfterResponse {
            // Before the end goes out: NIO's pipelining handler may hand over the next request then.
            connectionGuard.becameIdle()
        }
        context.writeAndFlush(wrapOutboundOut(.end(trailerFields)), promise: nil)
        resumeReadingIfHeld()
        if state.closesAfterResponse {
            closeAfterLingering()
        }
    }

    func exchangeCompleted(id: Int, outcome: CompletionOutcome) {
        guard let state = exchange, state.id == id, !isClosed, !state.responseEnded else { return }
        if outcome.clientDisconnected {
            close(reason: "the client went away")
        } else if state.headSent {
            // Spec ERR-2: a body that failed must not look complete; no terminating chunk.
            settings.logger.error("response aborted", metadata: metadata(["error": "\(outcome.errorDescription)"]))
            isClosing = true
            context.flush()
            context.close(promise: nil)
        } else {
            // The request failed before any head went out and the client is still there: it
            // gets a 500 rather than nothing.
            settings.logger.error("response rejected", metadata: metadata(["error": "\(outcome.errorDescription)"]))
            reject(Rejection(status: .internalServerError, reason: outcome.errorDescription), method: nil, target: nil)
        }
    }

    // MARK: Ending exchanges and connections

    /// Answers with `rejection`'s status and closes the connection (Spec ERR-3).
    private func reject(_ rejection: Rejection, method: String?, target: String?) {
        var details: Logger.Metadata = ["status": "\(rejection.status.code)", "reason": "\(rejection.reason)"]
        if let method, let target { details["request"] = "\(method) \(target)" }
        settings.logger.notice("rejected a request", metadata: metadata(details))
        guard let state = exchange, !state.headSent else {
            close(reason: rejection.reason)
            return
        }
        state.headSent = true
        state.responseEnded = true
        state.closesAfterResponse = true
        if let waiter = state.bodyWaiter {
            state.bodyWaiter = nil
            waiter.resume(throwing: ClientDisconnected())
        }
        let text = "\(rejection.status.code) \(rejection.status.reasonPhrase)\n"
        var fields = HTTPHeaders([
            ("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", String(text.utf8.count)), ("Connection", "close"),
        ])
        ResponseHeadFields.addServerFields(to: &fields, serverHeader: settings.serverHeader, present: .contentLength)
        let head = HTTPResponseHead(version: state.version, status: rejection.status, headers: fields)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if !state.isHead {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: text)))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        state.task?.cancel()
        closeAfterLingering()
    }

    /// Closes at once: the exchange cannot go on.
    private func close(reason: String) {
        settings.logger.debug("closing the connection", metadata: metadata(["reason": "\(reason)"]))
        tearDown()
        context.close(promise: nil)
    }

    /// Stops sending, then reads and drops whatever the client still sends for a moment
    /// before closing, so the kernel does not reset the connection under the response.
    private func closeAfterLingering() {
        isClosing = true
        resumeReadingIfHeld()
        let context = self.context!
        context.close(mode: .output, promise: nil)
        context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(2)) {
            context.close(promise: nil)
        }
    }

    /// Fails whatever the application waits for and cancels its task (Spec LIFE-4).
    private func tearDown() {
        guard !isClosed else { return }
        isClosed = true
        isClosing = true
        writeTimer?.cancel()
        writeTimer = nil
        let waiters = writabilityWaiters
        writabilityWaiters = []
        for waiter in waiters { waiter.resume(throwing: ClientDisconnected()) }
        guard let state = exchange else { return }
        state.cancelBodyTimer()
        if let waiter = state.bodyWaiter {
            state.bodyWaiter = nil
            waiter.resume(throwing: ClientDisconnected())
        }
        if !state.responseEnded {
            state.task?.cancel()
        }
    }

    /// Starts the wait for the next body bytes (Spec SEC-3: time between body bytes).
    private func armBodyTimer(_ state: ExchangeState) {
        state.cancelBodyTimer()
        let id = state.id
        state.bodyTimer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(settings.timeouts.bodyRead)) {
            self.bodyTimedOut(id: id)
        }
    }

    private func bodyTimedOut(id: Int) {
        guard let state = exchange, state.id == id, !isClosed else { return }
        if state.headSent {
            close(reason: "no request body bytes for \(settings.timeouts.bodyRead)")
        } else {
            reject(Rejection(status: .requestTimeout, reason: "no request body bytes for \(settings.timeouts.bodyRead)"), method: nil, target: nil)
        }
    }

    private func metadata(_ details: Logger.Metadata) -> Logger.Metadata {
        var all = details
        all["peer"] = "\(addresses?.remoteAddress ?? "")"
        return all
    }
}
