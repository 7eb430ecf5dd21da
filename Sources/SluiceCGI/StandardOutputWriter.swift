// The response of a CGI program: its standard output, a header block then the body (RFC 3875 section 6).

import Sluice
import SluiceCGIWire
import Synchronization

/// Writes a response head and body to a descriptor, buffering small writes until the
/// application flushes, the buffer fills, or the body finishes.
///
/// Bytes still buffered when a response fails are dropped, never sent: when nothing was
/// flushed yet the server then sees no header block and answers 500 itself, instead of
/// passing on a body cut short as if it were whole (Spec ERR-2).
final class StandardOutputWriter: ResponseWriter {
    /// The most bytes held before they are written: one pipe's worth, so a large body
    /// streams through in few system calls.
    static let bufferCapacity = 64 * 1024

    private let output: FileDescriptor
    private let pending = Mutex<Pending>(Pending())

    /// The bytes not yet written. A struct of its own rather than a bare `[UInt8]` in the
    /// `Mutex`: destroying a mutex of an array makes the runtime build `Array<UInt8>`'s
    /// metadata (18 k instructions when a CGI program ends); destroying one of a struct does not.
    private struct Pending {
        var bytes: [UInt8] = []
    }

    init(output: FileDescriptor) {
        self.output = output
    }

    /// Buffers the `Status:` line, the fields and the empty line (Spec CGI-10, CGI-11).
    func writeHead(status: Response.Status, headers: Headers) async throws {
        try append(CGIResponseHead.bytes(status: status, headers: headers))
    }

    func write(_ bytes: [UInt8]) async throws {
        try append(bytes)
    }

    /// Writes everything buffered to the descriptor (Spec RESP-9).
    func flush() async throws {
        try pending.withLock { pending in
            try send(pending.bytes)
            pending.bytes.removeAll(keepingCapacity: true)
        }
    }

    /// Writes what is buffered. CGI has no trailers; they are dropped (Spec RESP-11).
    func finish(trailers: Headers?) async throws {
        try await flush()
    }

    private func append(_ bytes: [UInt8]) throws {
        try pending.withLock { pending in
            if pending.bytes.count + bytes.count <= Self.bufferCapacity {
                pending.bytes += bytes
                return
            }
            try send(pending.bytes)
            pending.bytes.removeAll(keepingCapacity: true)
            if bytes.count < Self.bufferCapacity {
                pending.bytes += bytes
            } else {
                try send(bytes)
            }
        }
    }

    /// Writes bytes now; a reader that went away becomes ``Sluice/ClientDisconnected`` (Spec LIFE-4).
    private func send(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        do {
            try output.write(bytes)
        } catch  where error.isBrokenConnection {
            throw ClientDisconnected()
        }
    }
}
