// The response side of an exchange: head and body bytes on their way to FCGI_STDOUT.

import Sluice
import Synchronization

/// Collects the response in a buffer and hands it to the worker thread when the buffer is
/// full, on `flush`, and at the end, so a small response costs one hand-over and a large one
/// moves in bounded pieces (the worker's write is the backpressure: Spec BODY-2's mirror).
///
/// Bytes still buffered when a response fails are dropped, never sent: the worker then ends
/// the request abnormally (Spec ERR-2).
final class ResponseOutput: ResponseWriter {
    /// The most bytes held before they are handed over.
    static let bufferCapacity = 64 * 1024

    private let commands: CommandQueue
    private let pending = Mutex<[UInt8]>([])

    init(commands: CommandQueue) {
        self.commands = commands
    }

    /// Buffers the `Status:` line, the fields and the empty line (Spec CGI-10, CGI-11).
    func writeHead(status: Response.Status, headers: Headers) async throws {
        try await write(CGIResponseHead.bytes(status: status, headers: headers))
    }

    func write(_ bytes: [UInt8]) async throws {
        let full = pending.withLock { buffer -> [UInt8]? in
            buffer += bytes
            guard buffer.count >= Self.bufferCapacity else { return nil }
            defer { buffer = [] }
            return buffer
        }
        if let full {
            try await send(full, flush: false)
        }
    }

    /// Hands everything buffered to the worker, which writes it and flushes libfcgi's own
    /// buffer to the socket (`FCGX_FFlush`, Spec RESP-9).
    func flush() async throws {
        try await send(takeRemainder(), flush: true)
    }

    /// The bytes not handed over yet, taken out of the buffer.
    private func takeRemainder() -> [UInt8] {
        pending.withLock { buffer in
            defer { buffer = [] }
            return buffer
        }
    }

    /// Hands the rest to the worker, so a client that went away fails the response here,
    /// before the completion hooks run. FastCGI has no trailers; they are dropped (Spec RESP-11).
    func finish(trailers: Headers?) async throws {
        try await send(takeRemainder(), flush: false)
    }

    private func send(_ bytes: [UInt8], flush: Bool) async throws {
        try await withUnsafeThrowingContinuation { continuation in
            commands.post(.write(bytes, flush: flush, continuation))
        }
    }
}
