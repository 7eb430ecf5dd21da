// Running a Sluice application as a CGI/1.1 program (RFC 3875): one request, then exit.

public import Sluice
public import SluiceCGIWire
public import SluiceGateway

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs an application as a CGI program: the request comes in the environment and on
/// standard input, the response goes to standard output, diagnostics to standard error.
///
/// A program's `main.swift`:
///
/// ```swift
/// import Sluice
/// import SluiceCGI
///
/// CGI.main(App { request in .text("Hello from \(request.path)\n") })
/// ```
///
/// Build it with `swift build -c release -Xswiftc -static-executable` for the fastest start
/// (see Docs/cgi.md): a CGI program starts once per request.
public enum CGI {
    /// What a CGI program can do (Spec REQ-14): one request per process, many processes at once.
    ///
    /// Request bodies are not claimed to stream: lighttpd, for one, spools the whole upload
    /// before it starts the program, and a program cannot tell. Flush reaches the server; the
    /// server may still buffer (Apache passes it on, lighttpd by default does not; Spec RESP-9).
    public static let capabilities = ServerCapabilities(
        isConcurrent: false,
        isMultiprocess: true,
        isRunOnce: true,
        streamsRequestBody: false,
        honoursFlush: true,
        supportsTrailers: false,
        supportsInformationalResponses: false
    )

    /// Serves the request this process was started for, then exits with the status
    /// ``run(_:limits:)`` returns. Call it from a program's synchronous top-level code.
    ///
    /// The request runs on the main thread, with no thread pool and no Dispatch main loop:
    /// that is what makes a static Swift CGI program start as fast as a C one. The one thing
    /// this rules out is work isolated to the `MainActor`, whose executor is never run here;
    /// an application that needs it calls `exit(await CGI.run(app))` from async top-level
    /// code instead, at a few milliseconds more per request.
    public static func main(_ application: some Application, limits: CGILimits = CGILimits()) -> Never {
        exit(CallingThreadExecutor.run { await run(application, limits: limits) })
    }

    /// Serves the request this process was started for and returns the exit status.
    ///
    /// Before anything else it takes the request's variables from the environment, then removes
    /// `HTTP_PROXY` from it (httpoxy, Spec CGI-7): the application still sees the client's
    /// `Proxy` header, but no HTTP client in the process mistakes it for a proxy setting.
    /// Standard output is kept for the response alone: anything the process prints goes to
    /// standard error, the server's error log.
    ///
    /// - Returns: The status to exit with; see ``serve(_:environment:input:output:errorLog:limits:)``.
    public static func run(_ application: some Application, limits: CGILimits = CGILimits()) async -> Int32 {
        let environment = ProcessEnvironment.metaVariables()
        ProcessEnvironment.removeClientProxyVariable()
        let output = ProcessEnvironment.detachStandardOutput()
        return await serve(application, environment: environment, input: 0, output: output, limits: limits)
    }

    /// Serves one request described by `environment`, reading its body from `input` and
    /// writing the response to `output`, which is closed once the response is complete (and
    /// in every other case before this returns).
    ///
    /// In order: ``Sluice/Application/startup()``, the request through
    /// ``SluiceGateway/Gateway/respond(to:with:through:hookExecutor:)``, closing `output` (so the server can end
    /// the response), ``Sluice/Application/shutdown()`` (Spec LIFE-1, LIFE-2). The body is
    /// exactly `CONTENT_LENGTH` bytes of `input`; without it, everything up to end of file when
    /// `HTTP_TRANSFER_ENCODING` is set, else nothing (Spec CGI-9).
    ///
    /// Requests the application never sees: a missing `REQUEST_METHOD` is answered 500, an
    /// invalid one or an invalid `CONTENT_LENGTH` 400, one over ``CGILimits/maxBodyBytes``
    /// 413 (Spec CGI-1, CGI-5, ERR-3). A body error escaping the application is answered by the
    /// gateway: 400 when standard input ended early, 413 when the body was too large; any other
    /// error 500.
    ///
    /// - Returns: 0 when a whole response was written, errors included; 1 when the response
    ///   was cut short (Spec ERR-2) or the application failed to start (Spec LIFE-1); 2, with a
    ///   usage message on `errorLog` and nothing written, when `environment` is not a CGI
    ///   request at all (none of ``requestVariableNames`` set, Spec CGI-13).
    public static func serve(
        _ application: some Application,
        environment: MetaVariables,
        input: Int32,
        output: Int32,
        errorLog: ErrorLog = .standardError,
        limits: CGILimits = CGILimits()
    ) async -> Int32 {
        let response = FileDescriptor(rawValue: output)
        guard isRequest(environment) else {
            errorLog.write(usage)
            response.close()
            return 2
        }
        ProcessEnvironment.ignoreBrokenPipeSignal()
        let writer = StandardOutputWriter(output: response)
        let request: Request
        do {
            request = try makeRequest(environment, input: FileDescriptor(rawValue: input), errorLog: errorLog, limits: limits)
        } catch {
            let completion = await error.answer(through: writer, errorLog: errorLog, capabilities: capabilities)
            response.close()
            return exitStatus(completion)
        }
        do {
            try await application.startup()
        } catch {
            _ = await Rejection(startupFailure: error).answer(through: writer, errorLog: errorLog, capabilities: capabilities)
            response.close()
            return 1
        }
        let completion = await Gateway.respond(to: request, with: application, through: writer)
        response.close()
        await discardUnreadBody(of: request)
        await application.shutdown()
        return exitStatus(completion)
    }

    /// The most of an unread body the program reads and drops before it exits (Spec BODY-5),
    /// as the FastCGI adapter drains one (Appendix A).
    static let unreadBodyDrainLimit = 1 << 20

    /// Reads and drops a body the application did not touch, up to `unreadBodyDrainLimit`
    /// bytes and never past its extent (Spec CGI-9). A process that exits with unread bytes
    /// on a socket makes the kernel reset it, and Apache's mod_cgid — whose CGI stdin and
    /// stdout are one socket — then loses the response it was reading (AH00574). A body
    /// the application read part of is left alone: its iterator is gone.
    private static func discardUnreadBody(of request: Request) async {
        var discarded = 0
        do {
            for try await chunk in request.body {
                discarded += chunk.count
                if discarded >= unreadBodyDrainLimit { return }
            }
        } catch {
            // Already read by the application, truncated by the client: nothing to drop.
        }
    }

    /// Builds the request from the variables, with a body that reads `input` lazily.
    private static func makeRequest(
        _ environment: MetaVariables,
        input: FileDescriptor,
        errorLog: ErrorLog,
        limits: CGILimits
    ) throws(Rejection) -> Request {
        do {
            let body: RequestBody
            if let length = try environment.contentLength() {
                guard length <= limits.maxBodyBytes else {
                    throw Rejection(contentLength: length, limit: limits.maxBodyBytes)
                }
                body = RequestBody(expectedLength: length, source: StandardInputBody(input: input, extent: .exactly(length)))
            } else if environment["HTTP_TRANSFER_ENCODING"] != nil {
                let extent = BodyExtent.untilEnd(limit: limits.maxBodyBytes)
                body = RequestBody(expectedLength: nil, source: StandardInputBody(input: input, extent: extent))
            } else {
                body = .empty
            }
            return try Request(
                metaVariables: environment, body: body, errorLog: errorLog, capabilities: capabilities, pathSplit: .fromVariables
            )
        } catch let error as MetaVariableError {
            throw Rejection(error)
        } catch let rejection as Rejection {
            throw rejection
        } catch {
            preconditionFailure("only variable errors and rejections are thrown here: \(error)")
        }
    }

    /// 0 for a response delivered whole, 1 for one that ended abnormally.
    private static func exitStatus(_ completion: Completion) -> Int32 {
        completion.error == nil ? 0 : 1
    }

    /// What a person who runs the program by hand reads.
    static let usage = """
        This is a CGI program: a web server runs it once per request, with the request in its \
        environment (GATEWAY_INTERFACE, REQUEST_METHOD, ...) and the body on standard input, \
        and sends what it prints to the client. None of \(requestVariableNames.joined(separator: ", ")) is set.
        To try it by hand:
            GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET SCRIPT_NAME= PATH_INFO=/ QUERY_STRING= \
        SERVER_NAME=localhost SERVER_PORT=80 SERVER_PROTOCOL=HTTP/1.1 REMOTE_ADDR=127.0.0.1 PROGRAM </dev/null
        See Docs/cgi.md ("Run as CGI") for Apache and lighttpd configurations.
        """
}
