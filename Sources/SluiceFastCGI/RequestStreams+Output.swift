// FCGI_STDOUT and FCGI_STDERR through the output buffer, and the request's ending, normal or
// not.

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

extension RequestStreams {
    /// Writes bytes to `FCGI_STDOUT` through the output buffer, and sends what it holds if asked.
    func write(_ bytes: [UInt8], flush: Bool) throws(ClientDisconnected) {
        guard !hasFailed else { throw ClientDisconnected() }
        if sentStatus == nil && !bytes.isEmpty {
            sentStatus = Self.status(inHead: bytes)
        }
        let written = bytes.withUnsafeBytes { bytes in output.appendOutput(bytes) || sendBuffered(then: bytes) }
        guard written, !flush || sendBuffered() else {
            fail()
            throw ClientDisconnected()
        }
    }

    /// Writes a response's head, piece by piece, and its body into the output buffer, which
    /// holds them whole (``ResponseOutput/wholeResponseLimit``).
    func writeResponse(status: Response.Status, headers: Headers, body: [UInt8]) throws(ClientDisconnected) {
        guard !hasFailed, output.isEmpty || sendBuffered() else {
            fail()
            throw ClientDisconnected()
        }
        sentStatus = status
        var written = true
        CGIResponseHead.write(status: status, headers: headers) { piece in
            written = written && output.appendOutput(piece)
        }
        guard written, body.withUnsafeBytes({ output.appendOutput($0) }) else {
            output.clear()
            fail()
            throw ClientDisconnected()
        }
    }

    /// The status of a CGI response head (Spec CGI-10) that begins with `head`: its
    /// `Status:` line's code, or 200 without one.
    private static func status(inHead head: [UInt8]) -> Response.Status {
        let prefix = Array("Status: ".utf8)
        guard head.count >= prefix.count + 3, head.starts(with: prefix) else { return .ok }
        var code = 0
        for digit in head[prefix.count..<prefix.count + 3] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return .ok }
            code = code * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return Response.Status(code: code)
    }

    /// Writes diagnostics to `FCGI_STDERR`, where the front server logs them (Spec REQ-13).
    func writeError(_ message: String) {
        guard !hasFailed else { return }
        var line = message
        if !line.hasSuffix("\n") { line += "\n" }
        line.withUTF8 { text in
            var rest = UnsafeRawBufferPointer(text)
            while !rest.isEmpty {
                let taken = output.appendError(rest)
                rest = UnsafeRawBufferPointer(rebasing: rest[taken...])
                if taken == 0 && !sendBuffered() {
                    fail()
                    return
                }
            }
        }
    }

    /// Ends the request (Spec FCGI-5): its ending after what is buffered, sent in one write
    /// where it fits, at once — an answer given before the body arrived (a 413) reaches the
    /// client before the body is sent. What the application did not read of the body is then
    /// dropped (Spec FCGI-7): on a connection that stays open, as it arrives, without waiting
    /// for it — the request is no longer active, so its records are skipped while the
    /// connection waits, parked, for its next `FCGI_BEGIN_REQUEST`, which the front server may
    /// send without the rest of the body (Apache's mod_proxy_fcgi stops sending it at
    /// `FCGI_END_REQUEST`); on one that closes, until the front server stops sending
    /// (``linger()``). Returns whether the connection stays open: kept by the front server
    /// and `keep`, and the ending sent.
    func finish(keepingConnection keep: Bool) -> Bool {
        if !output.endingFits {
            _ = sendBuffered()
        }
        output.appendEnding()
        let sent = !hasFailed && sendBuffered()
        let kept = sent && keep && keepsConnection
        if sent && !kept && !drainBody(waiting: false) {
            linger()
        }
        endRequest()
        return kept
    }

    /// Before a connection whose request was not read to its end is closed: stops sending,
    /// which the front server sees as the end of the response's connection, then reads and
    /// drops the rest of the body as a body is read — while it keeps the read timeout and
    /// the minimum rate — until its end or the connection's. Closed with bytes unread, the
    /// connection would be reset under a front server still writing the request, and Caddy
    /// (502) and Apache (503) answer a failed write with an error whatever response came
    /// back; Caddy reads the response only once it has written the whole body. (libfcgi
    /// also read to the end before it closed.)
    private func linger() {
        guard let connection else { return }
        _ = shutdown(connection.descriptor, Int32(SHUT_WR))
        _ = drainBody(waiting: true)
        input.clear()
    }

    /// Ends the request abnormally (Spec ERR-2): the connection is shut down before anything
    /// more is sent, so no `FCGI_END_REQUEST` reaches the server, which sees the response cut
    /// off rather than complete. The connection must be closed.
    func abort() {
        if let connection {
            _ = shutdown(connection.descriptor, Int32(SHUT_RDWR))
        }
        hasFailed = true
        output.clear()
        endRequest()
    }

    /// Sends what the output buffer holds, then `content` as `FCGI_STDOUT` records of its
    /// own, without copying it, in as few calls as the socket allows. False when the
    /// connection failed.
    private func sendBuffered(then content: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)) -> Bool {
        let buffered = output.completeRecords()
        defer { output.clear() }
        let largest = OutputRecords.largestRecord
        let recordCount = (content.count + largest - 1) / largest
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(1, recordCount)) { headers in
            withUnsafeTemporaryAllocation(of: iovec.self, capacity: 1 + 2 * recordCount) { pieces in
                var count = 0
                if !buffered.isEmpty {
                    pieces[count] = iovec(iov_base: UnsafeMutableRawPointer(mutating: buffered.baseAddress), iov_len: buffered.count)
                    count += 1
                }
                for record in 0..<recordCount {
                    let offset = record * largest
                    let length = min(largest, content.count - offset)
                    let header = UnsafeMutableRawPointer(headers.baseAddress! + record)
                    output.outputHeader(length: length).write(to: header)
                    pieces[count] = iovec(iov_base: header, iov_len: RecordHeader.size)
                    pieces[count + 1] = iovec(iov_base: UnsafeMutableRawPointer(mutating: content.baseAddress! + offset), iov_len: length)
                    count += 2
                }
                return count == 0 || SocketIO.send(connection!.descriptor, UnsafeMutableBufferPointer(rebasing: pieces[..<count]))
            }
        }
    }
}

#endif
