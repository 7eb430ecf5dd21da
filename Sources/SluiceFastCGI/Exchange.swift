// One request on a worker thread: build it, run the application in a task, serve the task's
// reads and writes, end it.

import Sluice

/// What a worker needs to know to serve a request.
struct ExchangeSettings: Sendable {
    let mountPath: String
    let limits: FastCGILimits
    let capabilities: ServerCapabilities
}

/// Serves the request that `connection` has just begun.
struct Exchange<App: Application> {
    let connection: Connection
    let application: App
    let settings: ExchangeSettings

    /// Runs the exchange to its end; `started` is told the application's task, so a shutdown
    /// that runs out of time can cancel it. Returns whether the response ended normally.
    func run(started: (Task<Void, Never>) -> Void) -> Bool {
        let commands = CommandQueue()
        let diagnostics = DiagnosticsBuffer()
        let output = ResponseOutput(commands: commands)
        let admission = admit(commands: commands, errorLog: diagnostics.errorLog)
        let task = Task(executorPreference: commands) { [application, settings] in
            let completion = switch admission {
            case let .success(request):
                await Gateway.respond(to: request, with: application, through: output)
            case let .failure(rejection):
                await rejection.answer(through: output, errorLog: diagnostics.errorLog, capabilities: settings.capabilities)
            }
            commands.post(.end(failed: completion.error != nil))
        }
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
                    task.cancel()
                    continuation.resume(throwing: error)
                }
            case let .write(bytes, flush, continuation):
                do {
                    try connection.write(bytes, flush: flush)
                    continuation.resume()
                } catch {
                    // The client is gone: cancel the application (Spec LIFE-4); the gateway
                    // still runs its completion hooks.
                    task.cancel()
                    continuation.resume(throwing: error)
                }
            case let .end(failed):
                diagnostics.close()
                return !failed
            }
        }
    }

    /// The request to run, or the rejection the adapter answers itself (Spec ERR-3).
    private func admit(commands: CommandQueue, errorLog: ErrorLog) -> Result<Request, Rejection> {
        let paramsLength = connection.paramsLength()
        guard paramsLength <= settings.limits.maximumParamsLength else {
            return .failure(Rejection(paramsLength: paramsLength, limit: settings.limits.maximumParamsLength))
        }
        do {
            let variables = connection.params()
            guard variables.pairs.count <= settings.limits.maximumParamsCount else {
                return .failure(Rejection(paramsCount: variables.pairs.count, limit: settings.limits.maximumParamsCount))
            }
            if let role = variables["FCGI_ROLE"], role != "RESPONDER" {
                return .failure(Rejection(role: role))
            }
            let length = try variables.contentLength()
            if let length, length > settings.limits.maximumBodyLength {
                return .failure(Rejection(contentLength: length, limit: settings.limits.maximumBodyLength))
            }
            let body = RequestBody(
                expectedLength: length,
                source: StandardInputBody(commands: commands, declaredLength: length, limit: settings.limits.maximumBodyLength)
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
