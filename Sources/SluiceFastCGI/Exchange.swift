// One request on a worker thread: build it, run the application in a task on this thread,
// serve the reads and writes the task hands over, end it.

import Sluice

/// What a worker needs to know to serve a request.
struct ExchangeSettings: Sendable {
    let mountPath: String
    let limits: FastCGILimits
    let capabilities: ServerCapabilities
}

/// Serves the requests of one worker, one at a time: each that `connection` has just begun.
struct Exchange {
    let connection: Connection
    /// The worker's queue, which this exchange opens and closes.
    let commands: CommandQueue
    let application: App
    let settings: ExchangeSettings

    /// Runs the current request's exchange to its end; `started` is told the application's
    /// task, so a shutdown that runs out of time can cancel it. Returns whether the response
    /// ended normally.
    func run(started: (Task<Void, Never>) -> Void) -> Bool {
        commands.open(exchange: connection.requestNumber)
        let access = ConnectionAccess(connection, commands: commands)
        let diagnostics = DiagnosticsBuffer()
        let output = ResponseOutput(access: access)
        let exchange = access.request
        // The task starts at once, on this thread, and runs until it first suspends: a request
        // that never waits (most do not) is served with no job queued at all. A read or write
        // that fails before the task is known to the connection cancels the current task.
        // One closure per outcome, each capturing only what it uses: a task's frames hold its
        // closure's captures, and smaller frames fit the task's own memory more often.
        let admission = admit(access: access, errorLog: diagnostics.errorLog)
        // Consumed: the request moves into its task instead of being copied, field by field.
        let task = switch consume admission {
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
        connection.applicationTask = task
        started(task)
        while true {
            let command = commands.next()
            for message in diagnostics.take() {
                connection.writeError(message)
            }
            switch command {
            case let .read(maximum, continuation):
                do {
                    continuation.resume(returning: try connection.read(maximum: maximum))
                } catch {
                    continuation.resume(throwing: error)
                }
            case let .write(bytes, flush, continuation):
                do {
                    try connection.write(bytes, flush: flush)
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
    private func admit(access: ConnectionAccess, errorLog: ErrorLog) -> Result<Request, Rejection> {
        let params = connection.measureParams()
        guard params.length <= settings.limits.maximumParamsLength else {
            return .failure(Rejection(paramsLength: params.length, limit: settings.limits.maximumParamsLength))
        }
        guard params.count <= settings.limits.maximumParamsCount else {
            return .failure(Rejection(paramsCount: params.count, limit: settings.limits.maximumParamsCount))
        }
        do {
            let variables = connection.params()
            guard connection.isResponder else {
                return .failure(Rejection(role: variables["FCGI_ROLE"] ?? "unknown"))
            }
            let limit = settings.limits.maximumBodyLength
            let request = try Request(
                metaVariables: variables, errorLog: errorLog, capabilities: settings.capabilities,
                pathSplit: .mountedAt(settings.mountPath)
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
