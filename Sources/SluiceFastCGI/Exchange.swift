// One request on a worker thread: build it, run the application in a task on this thread,
// serve the reads and writes the task hands over, end it.

import Sluice

/// What a worker needs to know to serve a request.
struct ExchangeSettings: Sendable {
    let mountPath: String
    let limits: FastCGILimits
    let capabilities: ServerCapabilities
}

/// Serves the request that `connection` has just begun.
struct Exchange {
    let connection: Connection
    /// The worker's queue, which this exchange opens and closes.
    let commands: CommandQueue
    let application: App
    let settings: ExchangeSettings

    /// Runs the exchange to its end; `started` is told the application's task, so a shutdown
    /// that runs out of time can cancel it. Returns whether the response ended normally.
    func run(started: (Task<Void, Never>) -> Void) -> Bool {
        commands.open(exchange: connection.requestNumber)
        let access = ConnectionAccess(connection, commands: commands)
        let diagnostics = DiagnosticsBuffer()
        let output = ResponseOutput(access: access)
        let admission = admit(access: access, errorLog: diagnostics.errorLog)
        // The task's first job runs below, in commands.next(), on this thread: the task is
        // known to the connection before it can read or write.
        let task = Task(executorPreference: commands) { [application, settings, commands] in
            let completion = switch admission {
            case let .success(request):
                await Gateway.respond(to: request, with: application, through: output)
            case let .failure(rejection):
                await rejection.answer(through: output, errorLog: diagnostics.errorLog, capabilities: settings.capabilities)
            }
            commands.post(.end(failed: completion.error != nil), exchange: access.request)
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
            if let role = variables["FCGI_ROLE"], role != "RESPONDER" {
                return .failure(Rejection(role: role))
            }
            let length = try variables.contentLength()
            if let length, length > settings.limits.maximumBodyLength {
                return .failure(Rejection(contentLength: length, limit: settings.limits.maximumBodyLength))
            }
            let body = RequestBody(
                expectedLength: length,
                source: StandardInputBody(access: access, declaredLength: length, limit: settings.limits.maximumBodyLength)
            )
            return .success(try Request(
                metaVariables: variables, body: body, errorLog: errorLog,
                capabilities: settings.capabilities, pathSplit: .mountedAt(settings.mountPath)
            ))
        } catch {
            return .failure(Rejection(error))
        }
    }
}
