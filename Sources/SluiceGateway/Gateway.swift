// The one path from a request to a written response that every adapter shares.

public import Sluice

/// Runs applications for servers.
///
/// Adapters turn their wire into a ``Request`` and a ``ResponseWriter`` and call
/// ``respond(to:with:through:hookExecutor:)``; everything the Spec asks of a server between those two —
/// error responses, `Content-Length`, HEAD, declared-length enforcement, completion hooks —
/// happens here, once, the same for every adapter.
public enum Gateway {
    /// Runs `application` for `request` and writes its response through `writer`.
    ///
    /// - An error thrown before the response exists becomes a 500 with a plain body — or 400 / 413
    ///   when it is a ``RequestBodyError`` saying the body was truncated / too large (Spec ERR-3) —
    ///   and is written to the request's error log (Spec ERR-1); one thrown while the body streams
    ///   ends the response early, and the adapter must abort it (Spec ERR-2).
    /// - A head that may not be sent — a status outside 200...599, CR/LF/NUL anywhere, a field
    ///   name that is not a token, a malformed `Content-Length` — is replaced by a 500 (Spec
    ///   SEC-2); hop-by-hop fields are dropped (Spec RESP-3).
    /// - `Content-Length` is added when the body's length is known and the application did not
    ///   set one (Spec RESP-5); a body that writes more or fewer bytes than declared fails
    ///   with ``ResponseBodyError`` (Spec RESP-4).
    /// - For HEAD, and for statuses without a body, the head is sent and the body is not run
    ///   (Spec RESP-6, RESP-7).
    /// - Completion hooks run exactly once, also when the client went away and the task was
    ///   cancelled (Spec LIFE-3, LIFE-4); their ``Completion`` says when this call started and
    ///   how long the request took until then.
    /// - A response that accepts a WebSocket has its handshake completed and its session run,
    ///   or is refused with 501, 426 or 400 (Spec WS-1, WS-4).
    ///
    /// - Parameter hookExecutor: Where the completion hooks run when the request's task was
    ///   cancelled and they need a task of their own: the adapter's executor (an event loop, a
    ///   worker thread), so that they do not wait for the global executor's threads, which the
    ///   adapter does not control; `nil` for the global executor.
    /// - Returns: The outcome; a non-nil ``Completion/error`` after a head was written means the
    ///   adapter must abort the response rather than end it normally.
    public static func respond(
        to request: Request,
        with application: some Application,
        through writer: some ResponseWriter,
        hookExecutor: (any TaskExecutor)? = nil
    ) async -> Completion {
        let start = ContinuousClock.now
        let context = request.context
        context.setInformationalWriter(writer)
        var outcome = await RequestContext.withCurrent(context) {
            await exchange(request, application, writer)
        }
        outcome.startTime = start
        outcome.duration = start.duration(to: .now)
        let completion = outcome
        guard let hooks = context.markComplete(with: completion), !hooks.isEmpty else { return completion }
        if Task.isCancelled {
            // Hooks must run even though this task is cancelled: a new task is not.
            await Task(executorPreference: hookExecutor) { await RequestContext.run(hooks, with: completion) }.value
        } else {
            await RequestContext.run(hooks, with: completion)
        }
        return completion
    }

    /// Asks the application for a response and writes it.
    // Inlined: every async function a request passes through costs it an executor switch.
    @inline(__always)
    private static func exchange(
        _ request: Request,
        _ application: some Application,
        _ writer: some ResponseWriter
    ) async -> Completion {
        var response: Response
        var applicationError: (any Error)?
        do {
            response = try await application.respond(to: request)
        } catch {
            if let gone = disconnection(error) {
                return Completion(status: nil, bodyBytesSent: 0, error: gone)
            }
            applicationError = error
            response = failureResponse(for: error, request)
        }
        request.context.setInformationalWriter(nil)
        if response.acceptedWebSocket != nil {
            switch await runWebSocket(response, for: request, through: writer) {
            case let .ended(completion):
                return completion
            case let .refused(answer, error):
                response = answer
                applicationError = error ?? applicationError
            }
        }
        let headers: Headers
        switch ResponseHead.fields(taking: &response) {
        case let .success(fields):
            headers = fields
        case let .failure(invalid):
            applicationError = invalid
            response = failureResponse(for: invalid, request)
            headers = (try? ResponseHead.fields(taking: &response).get()) ?? Headers()
        }
        let sendsBody = request.method != .head && response.status.allowsBody
        let declared = sendsBody ? declaredLength(in: headers) : 0
        if let bytes = response.body.bytesInHand, declared == (sendsBody ? bytes.count : 0) {
            // The body is in hand and its length is the declared one: the adapter may send the
            // whole response at once, with nothing left to enforce while it goes out.
            let body = sendsBody ? bytes : []
            do {
                if try await writer.writeWholeResponse(status: response.status, headers: headers, body: body) {
                    return Completion(status: response.status, bodyBytesSent: body.count, error: nil, applicationError: applicationError)
                }
            } catch {
                return Completion(status: nil, bodyBytesSent: 0, error: disconnection(error) ?? error)
            }
        }
        do {
            try await writer.writeHead(status: response.status, headers: headers)
        } catch {
            return Completion(status: nil, bodyBytesSent: 0, error: disconnection(error) ?? error)
        }
        let body = DeclaredLengthWriter(writer, declaredLength: declared)
        do {
            if sendsBody {
                try await response.body.write(to: body)
            }
            try await body.finishIfNeeded()
        } catch {
            let failure = disconnection(error) ?? error
            if !(failure is ClientDisconnected) {
                request.errorLog.write("sluice: \(request.method) \(request.target): response body failed: \(failure)")
            }
            return Completion(status: response.status, bodyBytesSent: body.bytesWritten, error: failure)
        }
        return Completion(status: response.status, bodyBytesSent: body.bytesWritten, error: nil, applicationError: applicationError)
    }

    /// The plain error response that replaces an application's failure, logged once.
    static func failureResponse(for error: any Error, _ request: Request) -> Response {
        let status = statusForFailure(error)
        request.errorLog.write("sluice: \(request.method) \(request.target): answered \(status.code): \(error)")
        return .status(status)
    }

    /// The `Content-Length` the head declares, when it holds one valid number.
    static func declaredLength(in headers: Headers) -> Int? {
        guard let value = headers["Content-Length"], let length = Int(value), length >= 0 else { return nil }
        return length
    }

    /// The status for an error that escaped the application: 400 for a request body that ended
    /// short of its length, 413 for one over the reader's limit, 500 for anything else (Spec ERR-1, ERR-3).
    static func statusForFailure(_ error: any Error) -> Response.Status {
        switch error as? RequestBodyError {
        case .truncated: .badRequest
        case .tooLarge: .contentTooLarge
        case .alreadyConsumed, nil: .internalServerError
        }
    }

    /// The error as ``ClientDisconnected`` when it means the client went away.
    static func disconnection(_ error: any Error) -> ClientDisconnected? {
        if let gone = error as? ClientDisconnected { return gone }
        if error is CancellationError, Task.isCancelled { return ClientDisconnected() }
        return nil
    }
}
