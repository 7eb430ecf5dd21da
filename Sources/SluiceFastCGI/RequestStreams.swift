// One worker's side of the request it serves: its records read, FCGI_STDIN delivered,
// FCGI_STDOUT and FCGI_STDERR written, on the connection the worker holds.

import CEventPoll
import Glibc
import Sluice

/// The streams of the request a worker serves, on the connection it holds (FastCGI 1.0
/// section 6.2): reading the request's records, its body as the application asks for it,
/// and its response through the worker's output buffer.
///
/// Every method blocks and must be called on the owning worker thread. One per worker,
/// attached to each connection the worker takes up: its buffers serve every request.
final class RequestStreams {
    /// How much of a body the application left unread is read and dropped before a kept
    /// connection takes its next request; past this the connection is closed instead (Spec FCGI-7).
    static let drainLimit = 1 << 20

    /// The worker thread, the only one that may use the streams.
    let owner = pthread_self()
    private let limits: FastCGILimits
    private let values: ManagementValues
    private let input = InputBuffer()
    private let output = OutputRecords()
    /// Where the params become `NAME=value` entries: storage kept across requests.
    private var entries: [UInt8] = []
    private var entryEnds: [Int] = []
    /// The connection held, if any.
    private(set) var connection: Connection?
    /// Counts the requests begun, so that each has a number of its own.
    private(set) var requestNumber = 0
    /// Whether the connection failed during the request: the front server (and so the
    /// client) is gone, or broke the protocol. Every later read or write fails at once.
    private(set) var hasFailed = false
    /// Whether the front server asked to keep the connection after this request (Spec FCGI-3).
    private var keepsConnection = false
    /// The body bytes received, and when the worker first waited for more: the minimum rate
    /// is measured from there.
    private var bodyReceived = 0
    private var bodyWaitStarted: ContinuousClock.Instant?
    /// The application's task for the current request, cancelled when the connection fails
    /// (Spec LIFE-4; the gateway still runs its completion hooks); `nil` while the task runs
    /// its first stretch, before it first suspends, on the worker thread.
    var applicationTask: Task<Void, Never>?

    init(limits: FastCGILimits, values: ManagementValues) {
        self.limits = limits
        self.values = values
    }

    /// The held connection's descriptor, or -1 when none is held.
    var descriptor: Int32 { connection?.descriptor ?? -1 }

    /// Takes up a connection, with the bytes it had read and not taken apart.
    func attach(_ connection: Connection) {
        self.connection = connection
        if !connection.unread.isEmpty {
            input.load(connection.unread)
            connection.unread = []
        }
    }

    /// Lets go of the connection, which keeps what was read of it and not taken apart.
    func detach() {
        if let connection, !input.isEmpty {
            connection.unread = input.takeUnread()
        }
        connection = nil
    }

    /// What came of reading a connection's next request.
    enum Arrival {
        /// A request's params are complete: the exchange runs with these meta-variables, or
        /// answers the rejection.
        case request(Result<MetaVariables, Rejection>)
        /// The request's bytes are not all here: park the connection until they are.
        case incomplete
        /// The connection ended or broke the protocol: close it.
        case closed
    }

    /// Reads the held connection's next request up to its params' end, answering what comes
    /// before it. When `mayRead` is false, only bytes already read are taken apart: a kept
    /// connection just served is parked without a read, and the poller says when bytes come.
    func awaitRequest(mayRead: Bool) -> Arrival {
        guard let connection else { return .closed }
        while true {
            let event = nextEvent(bodyLimit: 0)
            switch event {
            case .needBytes:
                guard mayRead else { return .incomplete }
                switch fill(waiting: false) {
                case .bytes: continue
                case .nothingYet: return .incomplete
                case .ended: return .closed
                }
            case let .begin(begin):
                guard begin.role == Role.responder else {
                    // Spec FCGI-2: no other role reaches the application; the request's
                    // remaining records are ignored once it is no longer active.
                    connection.records.endRequest()
                    guard send(ManagementReplies.endRequest(begin.requestID, .unknownRole)), begin.keepsConnection else { return .closed }
                    continue
                }
                keepsConnection = begin.keepsConnection
                connection.params.reset()
            case let .params(piece):
                connection.params.append(piece)
            case .paramsEnded:
                switch connection.params.variables(entries: &entries, ends: &entryEnds) {
                case let .variables(variables): return begin(.success(variables))
                case let .rejected(rejection): return begin(.failure(rejection))
                case .malformed:
                    ErrorLog.standardError.write("sluice: closing a FastCGI connection: a params length points past the params")
                    return .closed
                }
            case .getValues, .unknownManagementRecord, .beginWhileBusy:
                guard answerOutOfBand(event) else { return .closed }
            case let .protocolError(reason):
                ErrorLog.standardError.write("sluice: closing a FastCGI connection that broke the protocol: \(reason)")
                return .closed
            case .aborted, .body, .bodyEnded, .bodyWaiting:
                // Aborted before it began: nothing ran, and the connection ends (Spec FCGI-4).
                return .closed
            }
        }
    }

    /// Starts the request whose params just ended.
    private func begin(_ variables: Result<MetaVariables, Rejection>) -> Arrival {
        requestNumber += 1
        hasFailed = false
        bodyReceived = 0
        bodyWaitStarted = nil
        output.start(requestID: connection!.records.activeRequestID!)
        return .request(variables)
    }

    /// Reads up to `maximum` bytes of `FCGI_STDIN`, as many as have arrived once one has;
    /// empty only at its end. A peer that stops sending for the read timeout, or sends slower
    /// than the minimum rate, fails the read (Spec SEC-5).
    func read(maximum: Int) throws(ClientDisconnected) -> [UInt8] {
        guard !hasFailed, let connection else { throw ClientDisconnected() }
        while maximum > 0, case .body = connection.records.phase {
            let event = nextEvent(bodyLimit: maximum)
            switch event {
            case let .body(piece):
                bodyReceived += piece.count
                return Array(piece)
            case .bodyEnded:
                return []
            case .needBytes:
                guard waitForBody() else { break }
                continue
            case .getValues, .unknownManagementRecord, .beginWhileBusy:
                guard answerOutOfBand(event) else { break }
                continue
            case let .protocolError(reason):
                ErrorLog.standardError.write("sluice: closing a FastCGI connection that broke the protocol: \(reason)")
            case .aborted, .begin, .params, .paramsEnded, .bodyWaiting:
                break
            }
            fail()
            throw ClientDisconnected()
        }
        return []
    }

    /// Writes bytes to `FCGI_STDOUT` through the output buffer, and sends what it holds if asked.
    func write(_ bytes: [UInt8], flush: Bool) throws(ClientDisconnected) {
        guard !hasFailed else { throw ClientDisconnected() }
        let written = bytes.withUnsafeBytes { bytes in output.appendOutput(bytes) || sendBuffered(then: bytes) }
        guard written, !flush || sendBuffered() else {
            fail()
            throw ClientDisconnected()
        }
    }

    /// Writes a response's head, piece by piece, and its body into the output buffer, which
    /// holds them whole (``ResponseOutput/wholeResponseLimit``).
    func writeResponse(status: Response.Status, headers: Headers, body: [UInt8]) throws(ClientDisconnected) {
        guard !hasFailed, output.isEmpty || sendBuffered() else {
            fail()
            throw ClientDisconnected()
        }
        var written = true
        CGIResponseHead.write(status: status, headers: headers) { piece in
            written = written && output.appendOutput(piece)
        }
        guard written, body.withUnsafeBytes({ output.appendOutput($0) }) else {
            output.clear()
            fail()
            throw ClientDisconnected()
        }
    }

    /// Writes diagnostics to `FCGI_STDERR`, where the front server logs them (Spec REQ-13).
    func writeError(_ message: String) {
        guard !hasFailed else { return }
        var line = message
        if !line.hasSuffix("\n") { line += "\n" }
        line.withUTF8 { text in
            var rest = UnsafeRawBufferPointer(text)
            while !rest.isEmpty {
                let taken = output.appendError(rest)
                rest = UnsafeRawBufferPointer(rebasing: rest[taken...])
                if taken == 0 && !sendBuffered() {
                    fail()
                    return
                }
            }
        }
    }

    /// Ends the request (Spec FCGI-5): its ending after what is buffered, sent in one write
    /// where it fits. What the application did not read of the body is read and dropped
    /// first, up to the drain limit, whether the connection is kept or not: a kept connection
    /// then starts clean at the next request's records (Spec FCGI-7), and a front server still
    /// writing the request does not see its writes fail — Caddy writes the end of `FCGI_STDIN`
    /// after the params, and answers 502 when that write fails, whatever came back. Returns
    /// whether the connection stays open: kept by the front server and `keep`, the body
    /// drained, and nothing failed.
    func finish(keepingConnection keep: Bool) -> Bool {
        let drained = drainBody()
        if !output.endingFits {
            _ = sendBuffered()
        }
        output.appendEnding()
        let sent = !hasFailed && sendBuffered()
        endRequest()
        return keep && keepsConnection && drained && sent
    }

    /// Ends the request abnormally (Spec ERR-2): the connection is shut down before anything
    /// more is sent, so no `FCGI_END_REQUEST` reaches the server, which sees the response cut
    /// off rather than complete. The connection must be closed.
    func abort() {
        if let connection {
            _ = shutdown(connection.descriptor, Int32(SHUT_RDWR))
        }
        hasFailed = true
        output.clear()
        endRequest()
    }

    /// What to watch on the connection while the application's task waits for something
    /// else: poll(2) events, or `nil` when the connection has failed (the task is cancelled).
    ///
    /// Records already read are taken apart first — management records answered, an abort
    /// seen — up to body content the application has not read. Then the connection's end is
    /// watched for, and further bytes as long as they can be read ahead into the buffer.
    func eventsToWatch() -> Int16? {
        guard !hasFailed, connection != nil else { return nil }
        while true {
            let event = nextEvent(bodyLimit: 0)
            switch event {
            case .needBytes:
                return input.hasFreeSpace ? Int16(POLLIN) | Self.peerShutDown : Self.peerShutDown
            case .bodyWaiting:
                return Self.peerShutDown
            case .bodyEnded:
                continue
            case .getValues, .unknownManagementRecord, .beginWhileBusy:
                guard answerOutOfBand(event) else { break }
                continue
            case .aborted, .protocolError, .begin, .params, .paramsEnded, .body:
                break
            }
            fail()
            return nil
        }
    }

    /// The watched connection is ready while the application waits: the bytes that came are
    /// read ahead; a connection that ended, or was shut down by its peer, fails — the client
    /// went away (Spec LIFE-4, FCGI-4).
    func connectionReady(_ events: Int16) {
        let ended = Self.peerShutDown | Int16(POLLHUP) | Int16(POLLERR) | Int16(POLLNVAL)
        if events & ended != 0 || fill(waiting: false) == .ended {
            fail()
        }
    }

    /// poll(2)'s `POLLRDHUP` — the peer shut its side down — which the Glibc module leaves
    /// out: the same bit as `EPOLLRDHUP`.
    private static let peerShutDown = Int16(EPOLLRDHUP.rawValue)

    /// The next event from the bytes read.
    private func nextEvent(bodyLimit: Int) -> InboundRecords.Event {
        var unread = input.unread
        let event = connection!.records.next(from: &unread, bodyLimit: bodyLimit)
        input.consume(keeping: unread)
        return event
    }

    /// Reads what the connection has into the input buffer, waiting for it if asked (at most
    /// the read timeout).
    private func fill(waiting: Bool) -> SocketIO.Received {
        let received = SocketIO.receive(connection!.descriptor, into: input.freeSpace(), waiting: waiting)
        if case let .bytes(count) = received {
            input.didRead(count)
        }
        return received
    }

    /// Reads more of the body, waiting at most the read timeout, and no longer than the
    /// minimum rate allows (Spec SEC-5); false when none came in time or the connection ended.
    private func waitForBody() -> Bool {
        if let rate = limits.minimumBodyRate {
            let now = ContinuousClock.now
            let started = bodyWaitStarted ?? now
            bodyWaitStarted = started
            let allowed = rate.grace + .seconds(Double(bodyReceived) / Double(max(1, rate.bytesPerSecond)))
            let left = started + allowed - now
            if left < limits.readTimeout && !SocketIO.waitReadable(connection!.descriptor, within: left) {
                let seconds = (now - started).components.seconds
                ErrorLog.standardError.write(
                    "sluice: a request body came slower than \(rate.bytesPerSecond) bytes a second (\(bodyReceived) bytes in \(seconds) s): closing its connection"
                )
                return false
            }
        }
        if case .bytes = fill(waiting: true) { return true }
        return false
    }

    /// Reads and drops the rest of the body, up to ``drainLimit``; false when more was left
    /// or the connection failed.
    private func drainBody() -> Bool {
        guard !hasFailed, let connection else { return false }
        var drained = 0
        while case .body = connection.records.phase {
            let event = nextEvent(bodyLimit: Self.drainLimit)
            switch event {
            case let .body(piece):
                bodyReceived += piece.count
                drained += piece.count
                guard drained <= Self.drainLimit else { return false }
            case .bodyEnded:
                return true
            case .needBytes:
                guard waitForBody() else { return false }
            case .getValues, .unknownManagementRecord, .beginWhileBusy:
                guard answerOutOfBand(event) else { return false }
            case .aborted, .protocolError, .begin, .params, .paramsEnded, .bodyWaiting:
                return false
            }
        }
        return true
    }

    /// Answers the records a front server may send at any point — management records, a
    /// second request on the connection (Spec FCGI-2); false when the answer could not be
    /// sent or the record is malformed.
    private func answerOutOfBand(_ event: InboundRecords.Event) -> Bool {
        switch event {
        case let .getValues(asked):
            guard let reply = ManagementReplies.valuesResult(asked: asked, values: values) else { return false }
            return send(reply)
        case let .unknownManagementRecord(type):
            return send(ManagementReplies.unknownType(type))
        case let .beginWhileBusy(requestID):
            return send(ManagementReplies.endRequest(requestID, .cannotMultiplexConnection))
        default:
            return false
        }
    }

    /// Sends records that are not part of the response, between two of its records.
    private func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { SocketIO.send(connection!.descriptor, $0) }
    }

    /// Sends what the output buffer holds, then `content` as `FCGI_STDOUT` records of its
    /// own, without copying it, in as few calls as the socket allows. False when the
    /// connection failed.
    private func sendBuffered(then content: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)) -> Bool {
        let buffered = output.completeRecords()
        defer { output.clear() }
        let largest = OutputRecords.largestRecord
        let recordCount = (content.count + largest - 1) / largest
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(1, recordCount)) { headers in
            withUnsafeTemporaryAllocation(of: iovec.self, capacity: 1 + 2 * recordCount) { pieces in
                var count = 0
                if !buffered.isEmpty {
                    pieces[count] = iovec(iov_base: UnsafeMutableRawPointer(mutating: buffered.baseAddress), iov_len: buffered.count)
                    count += 1
                }
                for record in 0..<recordCount {
                    let offset = record * largest
                    let length = min(largest, content.count - offset)
                    let header = UnsafeMutableRawPointer(headers.baseAddress! + record)
                    output.outputHeader(length: length).write(to: header)
                    pieces[count] = iovec(iov_base: header, iov_len: RecordHeader.size)
                    pieces[count + 1] = iovec(iov_base: UnsafeMutableRawPointer(mutating: content.baseAddress! + offset), iov_len: length)
                    count += 2
                }
                return count == 0 || SocketIO.send(connection!.descriptor, UnsafeMutableBufferPointer(rebasing: pieces[..<count]))
            }
        }
    }

    /// The request is over: the connection's records no longer belong to it.
    private func endRequest() {
        connection?.records.endRequest()
        connection?.requestsServed += 1
        applicationTask = nil
    }

    /// The front server is gone: every later read or write fails at once, and the
    /// application's task is cancelled.
    private func fail() {
        hasFailed = true
        if let applicationTask {
            applicationTask.cancel()
        } else {
            // The task runs on this thread before its first suspension, not yet handed over.
            withUnsafeCurrentTask { $0?.cancel() }
        }
    }
}
