// libfcgi's per-request calls, made only on the worker thread that owns the request.

import CFastCGI
import Glibc
import Sluice

/// One worker's `FCGX_Request`: the connection to the front server and the request on it.
///
/// Every method blocks and must be called on the owning worker thread.
final class Connection {
    /// How much of a body the application left unread is read and dropped before a kept
    /// connection takes its next request; past this the connection is closed instead (Spec FCGI-7).
    static let drainLimit = 1 << 20

    private let request = UnsafeMutablePointer<FCGX_Request>.allocate(capacity: 1)
    /// The worker thread that made the connection, the only one that may use it.
    let owner = pthread_self()
    /// Each param's length, measured once per request into storage kept across requests.
    private var paramLengths: [Int] = []
    /// Where an unread body is drained to: allocated once, not once per request.
    private let scratch = UnsafeMutableBufferPointer<CChar>.allocate(capacity: 64 * 1024)
    /// Counts the requests begun, so that each has a number of its own.
    private(set) var requestNumber = 0
    /// Whether a read or write failed: the front server (and so the client) is gone.
    private(set) var hasFailed = false
    /// The application's task for the current request, cancelled when a read or write fails
    /// (Spec LIFE-4; the gateway still runs its completion hooks); `nil` while the task runs
    /// its first stretch, before it first suspends, on the worker thread.
    var applicationTask: Task<Void, Never>?

    init() {
        // No listening socket: the worker accepts connections itself (with a timeout set on
        // them), so libfcgi never blocks in accept() where a shutdown could not reach it.
        FCGX_InitRequest(request, -1, 0)
    }

    deinit {
        FCGX_Free(request, 1)
        request.deallocate()
        scratch.deallocate()
    }

    /// Whether the front server asked for the responder role, the only one Sluice plays (Spec
    /// FCGI-2): read from libfcgi's record of `FCGI_BEGIN_REQUEST`, not from the params.
    var isResponder: Bool {
        request.pointee.role == FCGI_RESPONDER
    }

    /// The connection's descriptor, or `nil` when none is open.
    var descriptor: Int32? {
        request.pointee.ipcFd >= 0 ? request.pointee.ipcFd : nil
    }

    /// Reads the next request on `descriptor` (a fresh connection, or the kept one when
    /// `descriptor` is nil): its BEGIN_REQUEST and params. Returns false when the connection
    /// ended or sent something that is not a request; libfcgi has closed it then.
    func begin(on descriptor: Int32?) -> Bool {
        if let descriptor {
            request.pointee.ipcFd = descriptor
            // FCGX_Accept_r first finishes the previous request, closing the connection unless
            // it is kept: this one is new, and must stay open for its first request.
            request.pointee.keepConnection = 1
        }
        hasFailed = false
        requestNumber += 1
        return FCGX_Accept_r(request) >= 0
    }

    /// Measures the current request's params, remembering each one's length for ``params()``.
    ///
    /// - Returns: How many there are, and their total size: names plus values, as the limits count them.
    func measureParams() -> (count: Int, length: Int) {
        // Filled as a local, not through the property: each access to a class's stored
        // property is checked for exclusivity at run time.
        var lengths = paramLengths
        paramLengths = []
        lengths.removeAll(keepingCapacity: true)
        var length = 0
        var cursor = request.pointee.envp
        while let entry = cursor?.pointee {
            let entryLength = strlen(entry)
            lengths.append(entryLength)
            length += entryLength - 1
            cursor! += 1
        }
        paramLengths = lengths
        return (lengths.count, length)
    }

    /// The params measured by ``measureParams()`` as meta-variables, in order, repeats kept,
    /// copied straight from libfcgi's `NAME=value` C strings into one buffer.
    /// `CONTENT_LENGTH=-1`, Caddy's way of saying the length is unknown (a chunked upload),
    /// becomes an empty value, which means the same to the core (Spec CGI-9).
    func params() -> MetaVariables {
        paramLengths.withUnsafeBufferPointer { lengths in
            let entries = request.pointee.envp!
            return MetaVariables(count: lengths.count) { index in
                let entry = UnsafeRawBufferPointer(start: entries[index], count: lengths[index])
                let unknownLength: StaticString = "CONTENT_LENGTH=-1"
                return entry.count == unknownLength.utf8CodeUnitCount
                    && memcmp(entry.baseAddress!, unknownLength.utf8Start, entry.count) == 0
                    ? UnsafeRawBufferPointer(rebasing: entry.dropLast(2)) : entry
            }
        }
    }

    /// Reads up to `maximum` bytes of `FCGI_STDIN`; fewer only at its end.
    func read(maximum: Int) throws(ClientDisconnected) -> [UInt8] {
        guard !hasFailed else { throw ClientDisconnected() }
        let bytes = [UInt8](unsafeUninitializedCapacity: maximum) { buffer, count in
            count = Int(max(0, FCGX_GetStr(buffer.baseAddress, Int32(maximum), request.pointee.in)))
        }
        // A short read is the stream's end, or an error: a timeout, a closed connection, or a
        // record libfcgi cannot place (FCGI_ABORT_REQUEST, which it does not implement).
        if bytes.count < maximum, FCGX_GetError(request.pointee.in) != 0 {
            fail()
            throw ClientDisconnected()
        }
        return bytes
    }

    /// Writes bytes to `FCGI_STDOUT` through libfcgi's buffer, and flushes it if asked.
    func write(_ bytes: [UInt8], flush: Bool) throws(ClientDisconnected) {
        guard !hasFailed else { throw ClientDisconnected() }
        if !bytes.withUnsafeBytes(put) || (flush && FCGX_FFlush(request.pointee.out) != 0) {
            fail()
            throw ClientDisconnected()
        }
    }

    /// Writes a response's head, piece by piece, and its body to `FCGI_STDOUT` through
    /// libfcgi's buffer.
    func writeResponse(status: Response.Status, headers: Headers, body: [UInt8]) throws(ClientDisconnected) {
        guard !hasFailed else { throw ClientDisconnected() }
        var written = true
        CGIResponseHead.write(status: status, headers: headers) { piece in
            written = written && put(piece)
        }
        if !written || !body.withUnsafeBytes(put) {
            fail()
            throw ClientDisconnected()
        }
    }

    /// Puts bytes into libfcgi's output buffer; false when the connection failed.
    private func put(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let start = bytes.baseAddress, !bytes.isEmpty else { return true }
        return FCGX_PutStr(start.assumingMemoryBound(to: CChar.self), Int32(bytes.count), request.pointee.out) == bytes.count
    }

    /// The front server is gone: every later read or write fails at once.
    private func fail() {
        hasFailed = true
        if let applicationTask {
            applicationTask.cancel()
        } else {
            // The task runs on this thread before its first suspension, not yet handed over.
            withUnsafeCurrentTask { $0?.cancel() }
        }
    }

    /// Writes diagnostics to `FCGI_STDERR`, where the front server logs them (Spec REQ-13).
    func writeError(_ message: String) {
        guard !hasFailed else { return }
        var line = message
        if !line.hasSuffix("\n") { line += "\n" }
        _ = FCGX_PutS(line, request.pointee.err)
    }

    /// Ends the request: END_REQUEST, and the connection closed unless the server asked to
    /// keep it (and `keep` allows it). A body the application did not read is drained first
    /// so the kept connection starts clean at the next request's records.
    func finish(keepingConnection keep: Bool) {
        if !keep || !drainStandardInput() {
            request.pointee.keepConnection = 0
        }
        applicationTask = nil
        FCGX_Finish_r(request)
    }

    /// Ends the request abnormally (Spec ERR-2): the connection is shut down first, so no
    /// END_REQUEST reaches the server, which sees the response cut off rather than complete.
    func abort() {
        if let descriptor {
            _ = shutdown(descriptor, Int32(SHUT_RDWR))
        }
        hasFailed = true
        applicationTask = nil
        request.pointee.keepConnection = 0
        FCGX_Finish_r(request)
    }

    /// Reads what is left of `FCGI_STDIN`, up to ``drainLimit``; false when more was left or
    /// the connection failed.
    private func drainStandardInput() -> Bool {
        guard !hasFailed else { return false }
        var drained = 0
        while drained <= Self.drainLimit {
            let count = Int(FCGX_GetStr(scratch.baseAddress, Int32(scratch.count), request.pointee.in))
            if count < scratch.count {
                return FCGX_GetError(request.pointee.in) == 0
            }
            drained += count
        }
        return false
    }
}
