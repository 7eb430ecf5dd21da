// One worker's side of the request it serves, on the connection it holds: the request's
// records read up to its params, and what every stream shares. The streams themselves are in
// RequestStreams+Input, +Output and +Watching.

#if os(Linux)
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Sluice
import SluiceGateway
import SluiceCGIWire

/// The streams of the request a worker serves, on the connection it holds (FastCGI 1.0
/// section 6.2): reading the request's records, its body as the application asks for it,
/// and its response through the worker's output buffer.
///
/// Every method blocks and must be called on the owning worker thread. One per worker,
/// attached to each connection the worker takes up: its buffers serve every request.
final class RequestStreams {
    /// The worker thread, the only one that may use the streams.
    let owner = pthread_self()
    let limits: FastCGIConfiguration.Limits
    private let values: ManagementValues
    let input = InputBuffer()
    let output = OutputRecords()
    /// Where the params become `NAME=value` entries: storage kept across requests.
    private var entries: [UInt8] = []
    private var entryEnds: [Int] = []
    /// The connection held, if any.
    private(set) var connection: Connection?
    /// Counts the requests begun, so that each has a number of its own.
    private(set) var requestNumber = 0
    /// Whether the connection failed during the request: the front server (and so the
    /// client) is gone, or broke the protocol. Every later read or write fails at once.
    var hasFailed = false
    /// Whether the front server asked to keep the connection after this request (Spec FCGI-3).
    var keepsConnection = false
    /// The body bytes received, and when the worker first waited for more: the minimum rate
    /// is measured from there.
    var bodyReceived = 0
    var bodyWaitStarted: ContinuousClock.Instant?
    /// The application's task for the current request, cancelled when the connection fails
    /// (Spec LIFE-4; the gateway still runs its completion hooks); `nil` while the task runs
    /// its first stretch, before it first suspends, on the worker thread.
    var applicationTask: Task<Void, Never>?
    /// The status of the response head the application wrote, once it wrote one: a request
    /// that times out after it is cut off, before it is answered 503 (Spec LIFE-6).
    var sentStatus: Response.Status?

    init(limits: FastCGIConfiguration.Limits, values: ManagementValues) {
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
        sentStatus = nil
        bodyReceived = 0
        bodyWaitStarted = nil
        output.start(requestID: connection!.records.activeRequestID!)
        return .request(variables)
    }

    /// The next event from the bytes read.
    func nextEvent(bodyLimit: Int) -> InboundRecords.Event {
        var unread = input.unread
        let event = connection!.records.next(from: &unread, bodyLimit: bodyLimit)
        input.consume(keeping: unread)
        return event
    }

    /// Reads what the connection has into the input buffer, waiting for it if asked (at most
    /// the read timeout).
    func fill(waiting: Bool) -> SocketIO.Received {
        let received = SocketIO.receive(connection!.descriptor, into: input.freeSpace(), waiting: waiting)
        if case let .bytes(count) = received {
            input.didRead(count)
        }
        return received
    }

    /// Answers the records a front server may send at any point — management records, a
    /// second request on the connection (Spec FCGI-2); false when the answer could not be
    /// sent or the record is malformed.
    func answerOutOfBand(_ event: InboundRecords.Event) -> Bool {
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
    func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { SocketIO.send(connection!.descriptor, $0) }
    }

    /// The request is over: the connection's records no longer belong to it.
    func endRequest() {
        connection?.records.endRequest()
        connection?.requestsServed += 1
        applicationTask = nil
    }

    /// The front server is gone: every later read or write fails at once, and the
    /// application's task is cancelled.
    func fail() {
        hasFailed = true
        if let applicationTask {
            applicationTask.cancel()
        } else {
            // The task runs on this thread before its first suspension, not yet handed over.
            withUnsafeCurrentTask { $0?.cancel() }
        }
    }
}

#endif
