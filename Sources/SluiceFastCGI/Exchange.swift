// One request on a worker thread: run the application in a task on this thread, serve the
// reads and writes the task hands over, watch the connection while the task waits, end it.

#if os(Linux)
import Sluice
import SluiceGateway
import SluiceCGIWire

/// What a worker needs to know to serve a request.
struct ExchangeSettings: Sendable {
    let limits: FastCGIConfiguration.Limits
    let capabilities: ServerCapabilities
    /// The longest the application may take over a request (Spec LIFE-6); `nil` for no limit.
    var requestTimeout: Duration? = nil
    let observer: (any ServerObserver)?
}

/// Serves the requests of one worker, one at a time: each that `streams` has just read.
struct Exchange {
    let streams: RequestStreams
    /// The worker's queue, which this exchange opens and closes.
    let commands: CommandQueue
    let application: App
    let settings: ExchangeSettings

    /// Runs the exchange of the request whose params are `variables` (or that the adapter
    /// rejects) to its end; `started` is told the application's task, so a shutdown that runs
    /// out of time can cancel it. Returns whether the response ended normally.
    ///
    /// While the task waits for something other than the connection, the worker watches the
    /// connection: a client that goes away (the front server closes the connection, or sends
    /// `FCGI_ABORT_REQUEST`) cancels the task at once (Spec LIFE-4, FCGI-4). The worker runs
    /// what the cancellation wakes; once the task waits again, the worker gives up on it
    /// and is free, and the task ends elsewhere, its completion hooks with it.
    func run(_ variables: Result<MetaVariables, Rejection>, started: (Task<Void, Never>) -> Void) -> Bool {
        commands.open(exchange: streams.requestNumber)
        let access = ConnectionAccess(streams, commands: commands)
        let diagnostics = DiagnosticsBuffer()
        let output = ResponseOutput(access: access)
        let exchange = access.request
        // The task starts at once, on this thread, and runs until it first suspends: a request
        // that never waits (most do not) is served with no job queued at all. A read or write
        // that fails before the task is known to the streams cancels the current task.
        // One closure per outcome, each capturing only what it uses: a task's frames hold its
        // closure's captures, and smaller frames fit the task's own memory more often.
        let admission = admit(variables, access: access, errorLog: diagnostics.errorLog)
        if let observer = settings.observer, case let .failure(rejection) = admission {
            observer.requestRefused(status: rejection.status)
        }
        // Only an application's request has a deadline; the adapter's own answers do not wait.
        var deadline: RequestDeadline?
        if let limit = settings.requestTimeout, case let .success(request) = admission {
            deadline = RequestDeadline(request, limit: limit)
        }
        // Consumed: the request moves into its task instead of being copied, field by field.
        let task =
            switch consume admission {
            case let .success(request):
                Task.immediate(executorPreference: commands) { [request = consume request, application, commands] in
                    let completion = await Gateway.respond(to: request, with: application, through: output)
                    commands.post(.end(failed: completion.error != nil), exchange: exchange)
                }
            case let .failure(rejection):
                Task.immediate(executorPreference: commands) { [capabilities = settings.capabilities, commands] in
                    let completion = await rejection.answer(through: output, errorLog: diagnostics.errorLog, capabilities: capabilities)
                    commands.post(.end(failed: completion.error != nil), exchange: exchange)
                }
            }
        streams.applicationTask = task
        started(task)
        while true {
            guard let command = commands.next() else {
                if let deadline, deadline.hasPassed {
                    // The task waits past its deadline: it is given up on, and ends elsewhere.
                    if commands.closeIfIdle() {
                        return timeOut(deadline, diagnostics: diagnostics)
                    }
                    continue
                }
                if let events = streams.eventsToWatch() {
                    let ready = commands.wait(watching: streams.descriptor, events: events, timeout: deadline?.pollTimeout ?? -1)
                    if ready != 0 {
                        streams.connectionReady(ready)
                    }
                } else if commands.closeIfIdle() {
                    // The client is gone and the cancelled task waits: it ends elsewhere.
                    diagnostics.close()
                    return false
                }
                continue
            }
            for message in diagnostics.take() {
                streams.writeError(message)
            }
            switch command {
            case let .read(maximum, continuation):
                do {
                    continuation.resume(returning: try streams.read(maximum: maximum))
                } catch {
                    continuation.resume(throwing: error)
                }
            case let .write(bytes, flush, continuation):
                do {
                    try streams.write(bytes, flush: flush)
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            case let .end(failed):
                diagnostics.close()
                return !failed
            }
        }
    }

    /// The request to run, or the rejection the adapter answers itself (Spec ERR-3).
    private func admit(_ params: Result<MetaVariables, Rejection>, access: ConnectionAccess, errorLog: ErrorLog) -> Result<Request, Rejection> {
        let variables: MetaVariables
        switch consume params {
        case let .success(passed): variables = passed
        case let .failure(rejection): return .failure(rejection)
        }
        do {
            let limit = settings.limits.maxBodyBytes
            let request = try Request(
                metaVariables: variables, errorLog: errorLog, capabilities: settings.capabilities,
                pathSplit: .wholePath
            ) { length in
                RequestBody(expectedLength: length, source: StandardInputBody(access: access, declaredLength: length, limit: limit))
            }
            if let length = request.body.expectedLength, length > limit {
                return .failure(Rejection(contentLength: length, limit: limit))
            }
            return .success(request)
        } catch {
            return .failure(Rejection(error))
        }
    }
}

#endif
