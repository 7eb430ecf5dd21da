// The channel handler between NIO's HTTP/1 codec and the gateway: one per connection. It feeds
// events to the connection's state machine and performs the actions it returns.

import Logging
import NIOCore
import NIOHTTP1
import Sluice
import SluiceGateway

/// Performs a connection's ``ConnectionStateMachine`` on its channel: request parts, parse errors,
/// a graceful stop and the applications' calls go in; writes, timers, closes and starting or
/// cancelling applications come out. It decides nothing about the protocol itself.
///
/// It is the last handler in the pipeline and the only one that writes HTTP: NIO's pipelining
/// and error handlers are not used (``ConnectionStateMachine`` says why). Everything here runs on
/// the connection's event loop; applications' tasks reach it through ``ConnectionLink``, and an
/// ``ApplicationDriver`` runs them.
final class HTTPConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart
    typealias BodyReader = CheckedContinuation<[UInt8]?, any Error>
    typealias Machine = ConnectionStateMachine<BodyReader>

    /// The largest body ``writeWholeResponse(id:status:headers:body:)`` writes without first
    /// waiting for the socket: small enough that a client which reads nothing can make the
    /// server buffer only this much past the channel's high-water mark.
    static var wholeResponseLimit: Int { 16 * 1024 }
    /// How long a connection waits, once a graceful stop began, for a request that may already
    /// be on its way: its first, or the next after a response that ended just before the stop.
    static var lastRequestWindow: TimeAmount { .milliseconds(500) }
    /// How long a closing connection reads and drops what the client still sends.
    static var lingerTime: TimeAmount { .seconds(2) }

    private var machine: Machine
    private let driver: ApplicationDriver
    private let settings: ConnectionSettings
    /// The guard of an HTTP/1 connection's raw bytes; `nil` on an HTTP/2 stream, whose
    /// connection watches its own bytes.
    private let connectionGuard: ConnectionGuard?
    private var context: ChannelHandlerContext!
    /// How requests' tasks reach this handler; one for the connection's lifetime.
    private var link: ConnectionLink!
    private let connection: ConnectionFacts
    private var servers = ServerOfHost()
    /// A read NIO asked for while the machine did not allow it, to be made once it does.
    private var readIsHeld = false
    /// Whether taking pipelined requests is scheduled or under way.
    private var takesPipelinedRequests = false
    private var writabilityWaiters: [CheckedContinuation<Void, any Error>] = []
    /// Closes the connection when a client leaves a write waiting too long (Spec SEC-3, SEC-5).
    private var writeTimer: Scheduled<Void>?
    /// Ends a wait for request body bytes (Spec SEC-3).
    private var bodyTimer: Scheduled<Void>?
    /// Ends a stopping connection's wait for its last request, or a lingering close.
    private var closingTimer: Scheduled<Void>?
    /// The request timeout of the exchange whose application runs, when one is configured.
    private var deadline: RequestDeadline?

    /// A handler for an HTTP/1 connection (with its `connectionGuard`) or for one HTTP/2
    /// stream (without), which carries one exchange and closes after it.
    init(
        application: FollowingLocalRedirects, settings: ConnectionSettings, executor: EventLoopTaskExecutor,
        connection: ConnectionFacts, connectionGuard: ConnectionGuard?
    ) {
        machine = Machine(limits: settings.limits)
        driver = ApplicationDriver(application: application, executor: executor)
        self.settings = settings
        self.connection = connection
        self.connectionGuard = connectionGuard
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        link = ConnectionLink(handler: self, eventLoop: context.eventLoop)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        tearDown(machine.closed())
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part: Machine.Inbound =
            switch unwrapInboundIn(data) {
            case let .head(head): .head(head)
            case let .body(bytes): .body(bytes)
            case .end: .end
            }
        perform(machine.received(part))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let parserError = error as? HTTPParserError {
            // At the end of input the decoder reports a truncated request: the client is gone.
            guard context.channel.isActive else { return }
            let status = ParserErrorStatus.status(for: parserError, parsing: connectionGuard?.bytesBeingParsed)
            settings.logger.notice("rejected a malformed request", metadata: metadata(["error": "\(parserError)", "status": "\(status.code)"]))
            perform(machine.received(.malformed(status)))
        } else if let rejection = error as? Rejection {
            // An HTTP/2 stream's head that breaks a rule of the Spec's own (HTTP2StreamCodec).
            settings.logger.notice("rejected a malformed request", metadata: metadata(["error": "\(rejection.reason)", "status": "\(rejection.status.code)"]))
            perform(machine.received(.malformed(rejection.status)))
        } else if error is ByteToMessageDecoderError {
            // More bytes after a parse error: the machine already answers or closes.
        } else {
            perform(machine.close(.failed("\(error)")))
        }
        resumeReadingIfAllowed()
    }

    func channelInactive(context: ChannelHandlerContext) {
        tearDown(machine.closed())
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            let arriving = connectionGuard?.mayBeReceivingRequest(within: Self.lastRequestWindow) ?? false
            perform(machine.stop(requestMayBeArriving: arriving))
        }
        context.fireUserInboundEventTriggered(event)
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

    // MARK: Outbound reads: backpressure and pipelining

    func read(context: ChannelHandlerContext) {
        if machine.allowsReading {
            context.read()
        } else {
            readIsHeld = true
        }
    }

    private func resumeReadingIfAllowed() {
        guard readIsHeld, machine.allowsReading else { return }
        readIsHeld = false
        context.read()
    }

    /// Takes the request parts that waited behind the last exchange, in a later turn of the
    /// event loop: a pipelined request must not start inside the task of the one before it.
    private func takePipelinedRequests() {
        guard machine.hasPipelinedRequests, !takesPipelinedRequests else { return }
        takesPipelinedRequests = true
        context.eventLoop.assumeIsolated().execute {
            while let action = self.machine.nextPipelined() {
                self.perform(action)
            }
            self.takesPipelinedRequests = false
            self.resumeReadingIfAllowed()
        }
    }

    // MARK: Calls from the application's task

    func nextBodyChunk(id: Int, continuation: BodyReader) {
        perform(machine.bodyRequested(id: id, by: continuation))
        resumeReadingIfAllowed()
    }

    func writeInformational(id: Int, status: Response.Status, headers: Headers) throws {
        switch machine.informational(id: id) {
        case .refuse:
            throw ClientDisconnected()
        case .drop:
            return
        case let .send(version):
            var head = HTTPResponseHead(version: version, status: HTTPResponseStatus(status))
            head.headers = try ResponseHeadFields.validated(headers, excluding: .informational)
            context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
        }
    }

    func writeHead(id: Int, status: Response.Status, headers: Headers) throws {
        var (fields, present) = ResponseHeadFields.converted(headers)
        guard
            let (framing, version) = machine.headSent(
                id: id, status: status, hasContentLength: present.contains(.contentLength), bodyFollows: true
            )
        else {
            throw ClientDisconnected()
        }
        if framing.sendsContinue {
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: .continue))), promise: nil)
        }
        sendHead(status: status, fields: &fields, present: present, framing: framing, version: version)
        if framing.sendsContinue {
            // The client sends the body, which the response needs, only once it sees the 100.
            context.flush()
        }
    }

    /// Writes a small response whose body is in hand — head, body and end — at once, as a
    /// handler written against NIO would. Returns `false` having written nothing when the
    /// socket is not taking bytes or the body is large: the piece-by-piece writes then wait
    /// for a slow client (Spec SEC-5).
    func writeWholeResponse(id: Int, status: Response.Status, headers: Headers, body: [UInt8]) throws -> Bool {
        guard machine.isAwaitingHead(id: id) else { throw ClientDisconnected() }
        guard body.count <= Self.wholeResponseLimit, context.channel.isWritable else {
            machine.wholeResponseDeclined(id: id)
            return false
        }
        var (fields, present) = ResponseHeadFields.converted(headers)
        guard
            let (framing, version) = machine.headSent(
                id: id, status: status, hasContentLength: present.contains(.contentLength), bodyFollows: false
            )
        else {
            throw ClientDisconnected()
        }
        sendHead(status: status, fields: &fields, present: present, framing: framing, version: version)
        if !body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        try end(id: id, trailers: nil)
        return true
    }

    /// Writes a final head: `fields`, the application's, completed in place (a copy would
    /// allocate them again) with framing, `Connection`, `Date` and `Server`.
    private func sendHead(
        status: Response.Status, fields: inout HTTPHeaders, present: ResponseHeadFields.Present, framing: HeadFraming, version: HTTPVersion
    ) {
        if framing.isChunked {
            fields.add(name: "Transfer-Encoding", value: "chunked")
        }
        switch framing.connection {
        case .close: fields.add(name: "Connection", value: "close")
        case .keepAlive: fields.add(name: "Connection", value: "keep-alive")
        case nil: break
        }
        ResponseHeadFields.addServerFields(to: &fields, serverHeader: settings.serverHeader, present: present)
        let head = HTTPResponseHead(
            version: version, status: HTTPResponseStatus(status), headers: fields
        )
        context.write(wrapOutboundOut(.head(head)), promise: nil)
    }

    /// Writes body bytes; returns whether the caller must wait for the socket to drain.
    func writeBody(id: Int, bytes: [UInt8]) throws -> Bool {
        guard machine.maySendBody(id: id) else { throw ClientDisconnected() }
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
        guard context.channel.isWritable else {
            context.flush()
            return true
        }
        return false
    }

    func waitForWritability(id: Int, continuation: CheckedContinuation<Void, any Error>) {
        guard machine.isResponding(id: id) else {
            return continuation.resume(throwing: ClientDisconnected())
        }
        if context.channel.isWritable {
            continuation.resume()
            return
        }
        writabilityWaiters.append(continuation)
        if writeTimer == nil {
            writeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(settings.timeouts.responseWrite)) {
                self.writeTimer = nil
                self.perform(self.machine.close(.writeTimedOut))
            }
        }
    }

    func flush(id: Int) throws {
        guard machine.isResponding(id: id) else { throw ClientDisconnected() }
        context.flush()
    }

    func finish(id: Int, trailers: Headers?) throws {
        guard machine.maySendBody(id: id) else { throw ClientDisconnected() }
        let trailerFields = try trailers.map { try ResponseHeadFields.validated($0, excluding: .trailers) }
        try end(id: id, trailers: trailerFields)
    }

    /// Ends the response, then does what the machine says follows.
    private func end(id: Int, trailers: HTTPHeaders?) throws {
        guard let followUp = machine.responseEnded(id: id) else { throw ClientDisconnected() }
        cancelDeadline()
        context.writeAndFlush(wrapOutboundOut(.end(trailers)), promise: nil)
        perform(.followUp(followUp))
        resumeReadingIfAllowed()
    }

    /// Completes the WebSocket handshake of exchange `id` (Spec WS-1, WS-5): the `101` goes out
    /// and the connection leaves HTTP for the WebSocket's handlers. Throws
    /// ``ClientDisconnected`` when the exchange is over.
    func acceptWebSocket(id: Int, handshake: WebSocketHandshake, subprotocol: String?, headers: Headers) throws -> ChannelWebSocket {
        guard case let .switchProtocols(version, stopping) = machine.upgradeAccepted(id: id) else { throw ClientDisconnected() }
        // The 101 ends the response the request timeout covers; the WebSocket has its own.
        cancelDeadline()
        var (fields, present) = ResponseHeadFields.converted(headers)
        fields.add(name: "Upgrade", value: "websocket")
        fields.add(name: "Connection", value: "Upgrade")
        fields.add(name: "Sec-WebSocket-Accept", value: WebSocketAcceptKey.value(for: handshake.key))
        if let subprotocol {
            fields.add(name: "Sec-WebSocket-Protocol", value: subprotocol)
        }
        ResponseHeadFields.addServerFields(to: &fields, serverHeader: settings.serverHeader, present: present)
        context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: .switchingProtocols, headers: fields))), promise: nil)
        let driver = self.driver
        return try WebSocketPipeline.switchProtocols(context.channel, settings: settings, stopping: stopping) { driver.cancel(id: id) }
    }

    func exchangeCompleted(id: Int, outcome: CompletionOutcome) {
        if !outcome.clientDisconnected, machine.isResponding(id: id) {
            settings.logger.error("response failed", metadata: metadata(["error": "\(outcome.errorDescription)"]))
        }
        perform(machine.applicationFailed(id: id, clientDisconnected: outcome.clientDisconnected))
        resumeReadingIfAllowed()
    }

    // MARK: Performing actions

    private func perform(_ action: Machine.Action) {
        switch action {
        case .none:
            break
        case let .startApplication(id, head, accepted):
            start(id: id, head: head, accepted: accepted)
        case let .respondAndClose(response, abandoned):
            var details: Logger.Metadata = ["status": "\(response.status.code)", "reason": "\(response.reason)"]
            if let request = response.request { details["request"] = "\(request)" }
            settings.logger.notice("rejected a request", metadata: metadata(details))
            if response.status != .internalServerError {
                settings.observer?.requestRefused(status: Response.Status(code: Int(response.status.code)))
            }
            abandon(abandoned)
            write(response)
            closeAfterLingering()
        case let .close(reason, abandoned):
            closeNow(reason, abandoning: abandoned)
        case let .resumeReader(reader, read):
            cancelBodyTimer()
            switch read {
            case let .bytes(bytes): reader.resume(returning: Array(bytes.readableBytesView))
            case .end: reader.resume(returning: nil)
            case let .failure(error):
                if case RequestBodyError.tooLarge = error {
                    settings.logger.notice("request body over the limit", metadata: metadata(["limit": "\(settings.limits.maxBodyBytes)"]))
                }
                reader.resume(throwing: error)
            }
        case let .awaitBody(version):
            if let version {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: .continue))), promise: nil)
            }
            armBodyTimer()
        case .restartBodyTimer:
            armBodyTimer()
        case let .followUp(followUp):
            perform(followUp)
        case .awaitLastRequest:
            armClosingTimer(in: Self.lastRequestWindow) { $0.lastRequestWindowEnded() }
        case let .requestTimedOut(ending, abandoned):
            switch ending {
            case let .answer(response):
                deadline?.expire(sentStatus: nil, errorLog: settings.errorLog)
                abandon(abandoned)
                write(response)
                closeAfterLingering()
            case let .cutOff(sentStatus):
                deadline?.expire(sentStatus: sentStatus, errorLog: settings.errorLog)
                closeNow(.requestTimedOut, abandoning: abandoned)
            }
        }
    }

    /// Closes at once, abandoning the exchange in progress, if any.
    private func closeNow(_ reason: CloseReason, abandoning abandoned: Machine.Abandoned?) {
        settings.logger.debug("closing the connection", metadata: metadata(["reason": "\(reason)"]))
        if case .stopping = reason {
            settings.registry.closedIdleDuringStop()
        }
        tearDown(abandoned)
        // What was written goes out first: an aborted response must arrive as far as it got.
        context.flush()
        context.close(promise: nil)
    }

    private func perform(_ followUp: Machine.FollowUp) {
        switch followUp {
        case .nothing:
            break
        case .becomeIdle:
            cancelBodyTimer()
            connectionGuard?.becameIdle()
            takePipelinedRequests()
        case .awaitLastRequest:
            cancelBodyTimer()
            connectionGuard?.becameIdle()
            armClosingTimer(in: Self.lastRequestWindow) { $0.lastRequestWindowEnded() }
            takePipelinedRequests()
        case let .discardBody(reader):
            reader?.resume(throwing: ClientDisconnected())
            armBodyTimer()
        case let .closeAfterLingering(reader):
            cancelBodyTimer()
            reader?.resume(throwing: ClientDisconnected())
            closeAfterLingering()
        }
    }

    /// Runs the application for a request that was accepted.
    private func start(id: Int, head: HTTPRequestHead, accepted: AcceptedHead) {
        connectionGuard?.requestHeadReceived()
        var head = head
        var host = accepted.host
        if let absolute = accepted.absoluteForm {
            // Spec HTTP-4: the target's authority takes the place of Host.
            head.uri = absolute.originForm
            head.headers.replaceOrAdd(name: "Host", value: absolute.authority)
            host = absolute.authority
        }
        let expectedLength = accepted.declaredLength ?? (accepted.isChunked ? nil : 0)
        let body: RequestBody =
            expectedLength == 0 ? .empty : RequestBody(expectedLength: expectedLength, source: ChannelRequestBody(connection: link, id: id))
        let request = Request(head: head, host: host, body: body, connection: connection, servers: &servers, errorLog: settings.errorLog)
        let requestContext = request.context
        driver.start(request, id: id, link: link)
        if case .closed = machine.state {
            // The connection closed while the application ran up to its first suspension.
            driver.cancel(id: id)
        } else if let limit = settings.timeouts.request, machine.isResponding(id: id) {
            armDeadline(limit, id: id, context: requestContext, label: "\(head.method.rawValue) \(head.uri)")
        }
    }

    /// Writes a response the server makes itself (Spec ERR-3).
    private func write(_ response: ServerResponse) {
        // The status line and the body say the same phrase: Sluice's (RFC 9110), not NIO's.
        let status = Response.Status(code: Int(response.status.code))
        let text = "\(status)\n"
        var fields = HTTPHeaders([
            ("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", String(text.utf8.count)), ("Connection", "close"),
        ])
        ResponseHeadFields.addServerFields(to: &fields, serverHeader: settings.serverHeader, present: .contentLength)
        let head = HTTPResponseHead(
            version: response.version, status: HTTPResponseStatus(status), headers: fields
        )
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if !response.isHead {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: text)))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// Stops sending, then reads and drops whatever the client still sends for a moment
    /// before closing, so the kernel does not reset the connection under the response. An
    /// HTTP/2 stream closes at once: what its client still sends is refused by the stream's
    /// reset, not by the kernel, and the connection goes on.
    private func closeAfterLingering() {
        guard let connectionGuard else {
            context.flush()
            return context.close(promise: nil)
        }
        connectionGuard.stopWatching()
        armClosingTimer(in: Self.lingerTime) { $0.lingeringEnded() }
        context.close(mode: .output, promise: nil)
        resumeReadingIfAllowed()
    }

    /// Fails what the abandoned exchange's application waits for and cancels it (Spec LIFE-4).
    private func abandon(_ abandoned: Machine.Abandoned?) {
        guard let abandoned else { return }
        cancelBodyTimer()
        cancelDeadline()
        abandoned.reader?.resume(throwing: ClientDisconnected())
        if abandoned.cancelsApplication {
            driver.cancel(id: abandoned.id)
        }
    }

    /// Abandons the exchange in progress and everything that waits on the connection.
    private func tearDown(_ abandoned: Machine.Abandoned?) {
        abandon(abandoned)
        cancelBodyTimer()
        cancelDeadline()
        closingTimer?.cancel()
        closingTimer = nil
        writeTimer?.cancel()
        writeTimer = nil
        let waiters = writabilityWaiters
        writabilityWaiters = []
        for waiter in waiters { waiter.resume(throwing: ClientDisconnected()) }
    }

    // MARK: Timers

    private func armBodyTimer() {
        bodyTimer?.cancel()
        bodyTimer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(settings.timeouts.bodyRead)) {
            self.bodyTimer = nil
            self.perform(self.machine.bodyTimedOut())
        }
    }

    private func cancelBodyTimer() {
        bodyTimer?.cancel()
        bodyTimer = nil
    }

    /// Starts exchange `id`'s request timeout: from the application's call to its response's end.
    private func armDeadline(_ limit: Duration, id: Int, context: RequestContext, label: String) {
        cancelDeadline()
        let timer = self.context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(limit)) {
            self.perform(self.machine.requestTimedOut(id: id))
            self.deadline = nil
        }
        deadline = RequestDeadline(limit: limit, context: context, label: label, timer: timer)
    }

    private func cancelDeadline() {
        deadline?.timer.cancel()
        deadline = nil
    }

    private func armClosingTimer(in delay: TimeAmount, _ transition: @escaping (inout Machine) -> Machine.Action) {
        closingTimer?.cancel()
        closingTimer = context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
            self.closingTimer = nil
            self.perform(transition(&self.machine))
        }
    }

    private func metadata(_ details: Logger.Metadata) -> Logger.Metadata {
        var all = details
        all["peer"] = "\(connection.addresses.remoteAddress)"
        return all
    }
}
