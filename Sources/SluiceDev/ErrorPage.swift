// Answering on the held socket while no app runs: the build error, as a page.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal HTTP/1.1 responder: reads a request head, answers 500 with the text, closes.
/// Enough for a browser or curl to show why the app is not running.
struct ErrorPage {
    let text: String

    /// Waits up to `timeout` for a connection and answers it; returns whether one came.
    @discardableResult
    func answerNext(on socket: HeldSocket, within timeout: Duration) -> Bool {
        var waiting = pollfd(fd: socket.descriptor, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        guard poll(&waiting, 1, milliseconds) > 0 else { return false }
        // Not inherited by an app started later: this process starts no child while it answers.
        let connection = accept(socket.descriptor, nil, nil)
        guard connection >= 0 else { return false }
        defer { close(connection) }
        var readTimeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &readTimeout, socklen_t(MemoryLayout<timeval>.size))
        readHead(connection)
        let body = Array(text.utf8)
        let head =
            "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: \(body.count)\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n"
        send(connection, Array(head.utf8) + body)
        return true
    }

    /// Reads until the blank line that ends the head (or 64 KiB, or the timeout): the client
    /// must finish sending before the close, or it may see a reset instead of the page.
    private func readHead(_ connection: Int32) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while received.count < 65_536 {
            let count = recv(connection, &buffer, buffer.count, 0)
            guard count > 0 else { return }
            received += buffer[..<count]
            if received.count >= 4, received.suffix(4) == [13, 10, 13, 10] { return }
        }
    }

    private func send(_ connection: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { systemSend(connection, $0.baseAddress, $0.count, Platform.noSignal) }
            guard sent > 0 else { return }
            offset += sent
        }
    }
}
