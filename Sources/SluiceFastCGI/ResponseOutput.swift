// The response side of an exchange: head and body bytes on their way to FCGI_STDOUT.

#if os(Linux)
import Sluice
import SluiceCGIWire

/// Writes the response into the worker's output buffer, which goes to the socket as
/// `FCGI_STDOUT` records when the next bytes do not fit, on `flush` and at the request's end;
/// a large response moves in bounded pieces, each write blocking until the socket takes it
/// (Spec BODY-2's mirror, RESP-15).
///
/// When a response fails, the worker ends the request abnormally: the connection is shut down
/// before the buffer is sent, so what it still holds is never sent (Spec ERR-2).
struct ResponseOutput: ResponseWriter {
    /// The largest response ``writeWholeResponse(status:headers:body:)`` takes: it fits in
    /// the output buffer with its ending, so nothing reaches the socket before all of it is
    /// written, and a write that fails has sent nothing.
    static let wholeResponseLimit = 8 * 1024 - 8

    let access: ConnectionAccess

    /// Writes the `Status:` line, the fields and the empty line (Spec CGI-10, CGI-11).
    func writeHead(status: Response.Status, headers: Headers) async throws {
        try await access.write(CGIResponseHead.bytes(status: status, headers: headers), flush: false)
    }

    /// Writes a small response's head and body into the output buffer, which sends them with
    /// the request's end; a larger one is written piece by piece (returns false).
    func writeWholeResponse(status: Response.Status, headers: Headers, body: [UInt8]) async throws -> Bool {
        guard body.count < Self.wholeResponseLimit,
            CGIResponseHead.byteCount(status: status, headers: headers) + body.count <= Self.wholeResponseLimit
        else { return false }
        try await access.writeResponse(status: status, headers: headers, body: body)
        return true
    }

    func write(_ bytes: [UInt8]) async throws {
        try await access.write(bytes, flush: false)
    }

    /// Sends the output buffer to the socket (Spec RESP-9).
    func flush() async throws {
        try await access.write([], flush: true)
    }

    /// Nothing to send: the output buffer goes out with the request's end. FastCGI has no
    /// trailers; they are dropped (Spec RESP-11).
    func finish(trailers: Headers?) async throws {}
}

#endif
