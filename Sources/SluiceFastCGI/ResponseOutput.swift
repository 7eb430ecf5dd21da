// The response side of an exchange: head and body bytes on their way to FCGI_STDOUT.

import Sluice

/// Writes the response into libfcgi's output buffer, which sends full `FCGI_STDOUT` records
/// as it fills, the rest on `flush` and at the request's end; a large response moves in
/// bounded pieces, each write blocking until the socket takes it (Spec BODY-2's mirror).
///
/// When a response fails, the worker ends the request abnormally: the connection is shut down
/// before libfcgi's buffer is flushed, so what it still holds is never sent (Spec ERR-2).
struct ResponseOutput: ResponseWriter {
    let access: ConnectionAccess

    /// Writes the `Status:` line, the fields and the empty line (Spec CGI-10, CGI-11).
    func writeHead(status: Response.Status, headers: Headers) async throws {
        try await access.write(CGIResponseHead.bytes(status: status, headers: headers), flush: false)
    }

    func write(_ bytes: [UInt8]) async throws {
        try await access.write(bytes, flush: false)
    }

    /// Sends libfcgi's buffer to the socket (`FCGX_FFlush`, Spec RESP-9).
    func flush() async throws {
        try await access.write([], flush: true)
    }

    /// Nothing to send: libfcgi's buffer goes out with the request's end. FastCGI has no
    /// trailers; they are dropped (Spec RESP-11).
    func finish(trailers: Headers?) async throws {}
}
