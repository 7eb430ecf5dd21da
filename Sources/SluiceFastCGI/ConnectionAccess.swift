// How the application's task reaches its worker's streams: directly when it runs on the
// worker thread, through the command queue from anywhere else.

#if os(Linux)
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Sluice
import SluiceCGIWire

/// The streams of one exchange, as the application's task sees it.
///
/// The streams may only be used on the worker thread that serves the request. The task runs
/// there (the worker is its executor), so a read or write usually happens at once: no command,
/// no suspension, no second run of the task's job — a request then costs what a C responder's
/// does. Only code the application moved to another executor (a detached task) hands its
/// reads and writes to the worker through ``CommandQueue``. Its methods run on their caller's
/// executor (`nonisolated(nonsending)`), so that a call from the worker thread does not begin
/// with an executor switch, which costs a lock for a task with an executor preference.
///
/// It reaches the request that was current when it was made, and no later one: a task the
/// application left running after its exchange ended gets ``Sluice/ClientDisconnected``.
///
/// Three words, so that a response writer holding it fits in an existential's inline buffer:
/// the gateway keeps the writer as `any ResponseWriter` for informational responses, and a
/// fourth word cost a `malloc` per request.
struct ConnectionAccess: @unchecked Sendable {
    // Unchecked: `streams` is used only when its owner is the calling thread (its `owner`
    // is a constant, read from any thread).
    private let streams: RequestStreams
    /// The number of the request this reaches.
    let request: Int
    private let commands: CommandQueue

    /// Access to the current request, from the calling thread, which must be the worker
    /// thread owning `streams`.
    init(_ streams: RequestStreams, commands: CommandQueue) {
        self.streams = streams
        request = streams.requestNumber
        self.commands = commands
    }

    /// The streams, when the caller runs on the thread that owns them and the request is
    /// still the current one.
    private var local: RequestStreams? {
        pthread_equal(pthread_self(), streams.owner) != 0 && streams.requestNumber == request ? streams : nil
    }

    /// Reads up to `maximum` bytes of `FCGI_STDIN`; fewer only at its end.
    nonisolated(nonsending) func read(maximum: Int) async throws -> [UInt8] {
        guard let streams = local else {
            return try await withUnsafeThrowingContinuation { commands.post(.read(maximum: maximum, $0), exchange: request) }
        }
        return try streams.read(maximum: maximum)
    }

    /// Writes `bytes` to `FCGI_STDOUT` (into the worker's output buffer), and sends that
    /// buffer to the socket when asked (Spec RESP-9).
    nonisolated(nonsending) func write(_ bytes: [UInt8], flush: Bool) async throws {
        guard let streams = local else {
            return try await withUnsafeThrowingContinuation { commands.post(.write(bytes, flush: flush, $0), exchange: request) }
        }
        try streams.write(bytes, flush: flush)
    }

    /// Writes a whole response, head and body, to `FCGI_STDOUT` (into the output buffer); on
    /// the worker thread the head goes in piece by piece, never built as an array.
    nonisolated(nonsending) func writeResponse(status: Response.Status, headers: Headers, body: [UInt8]) async throws {
        guard let streams = local else {
            return try await write(CGIResponseHead.bytes(status: status, headers: headers) + body, flush: false)
        }
        try streams.writeResponse(status: status, headers: headers, body: body)
    }
}

#endif
