// One server connection in memory: the standalone server's pipeline on NIO's EmbeddedChannel,
// raw bytes in and out, no socket and no clock.

import Logging
import NIOCore
import NIOEmbedded
import Sluice

@testable import SluiceHTTP

/// The pipeline ``ConnectionPipeline`` builds, on an `EmbeddedChannel`. Everything runs on the
/// calling thread: an application runs inside ``send(_:)`` up to its first suspension, and
/// resumes in ``run()`` (which ``send(_:)`` calls); timers fire only in ``advanceTime(by:)``.
/// Use it from synchronous tests.
final class EmbeddedConnection {
    let channel = EmbeddedChannel()

    init(
        _ application: some Application,
        limits: HTTPServerConfiguration.Limits = .init(),
        timeouts: HTTPServerConfiguration.Timeouts = .init(),
        errorLog: ErrorLog = .discarding
    ) throws {
        let quiet = Logger(label: "sluice.http.embedded") { _ in SwiftLogNoOpLogHandler() }
        let settings = ConnectionSettings(limits: limits, timeouts: timeouts, serverHeader: nil, logger: quiet, errorLog: errorLog)
        try ConnectionPipeline.configure(
            channel, application: FollowingLocalRedirects(wrapped: application), settings: settings,
            executor: EventLoopTaskExecutor(eventLoop: channel.eventLoop),
            connection: ConnectionFacts(addresses: ConnectionAddresses(channel: channel), tls: nil)
        )
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40000)).wait()
    }

    /// Delivers `bytes` as one read, then runs what became ready.
    func send(_ bytes: String) throws {
        guard channel.isActive else { return }
        try channel.writeInbound(ByteBuffer(string: bytes))
        run()
    }

    /// Delivers `bytes` as one read, then runs what became ready.
    func send(bytes: [UInt8]) throws {
        guard channel.isActive else { return }
        try channel.writeInbound(ByteBuffer(bytes: bytes))
        run()
    }

    /// Runs the tasks that became ready: resumed applications, pipelined requests.
    func run() {
        channel.embeddedEventLoop.run()
    }

    /// Moves the clock on, firing the timers due.
    func advanceTime(by amount: TimeAmount) {
        channel.embeddedEventLoop.advanceTime(by: amount)
    }

    /// A graceful stop reaches the connection.
    func stop() {
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        run()
    }

    /// Everything written since the last call, as text, without the `Date` field (whose value
    /// changes).
    func output() -> String {
        String(decoding: outputBytes(), as: UTF8.self).replacing(/Date: [^\r]*\r\n/, with: "")
    }

    /// Everything written since the last call, as bytes.
    func outputBytes() -> [UInt8] {
        var bytes = ByteBuffer()
        while let part = try? channel.readOutbound(as: IOData.self) {
            guard case var .byteBuffer(buffer) = part else { continue }
            bytes.writeBuffer(&buffer)
        }
        return Array(bytes.readableBytesView)
    }

    /// Whether the server closed the connection (an EmbeddedChannel closes fully when the
    /// server stops writing).
    var isClosed: Bool { !channel.isActive }
}

/// A point an application waits at until the test opens it; used on the test's thread only.
final class Gate: @unchecked Sendable {
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var isOpen = false

    func wait() async {
        guard !isOpen else { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters = []
    }
}

/// What an application did, recorded on the test's thread.
final class Journal: @unchecked Sendable {
    private(set) var entries: [String] = []

    func record(_ entry: String) {
        entries.append(entry)
    }
}

/// The raw response a `.text` body gets, without `Date`.
func textResponse(_ body: String, status: String = "200 OK", closes: Bool = false) -> String {
    "HTTP/1.1 \(status)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\n"
        + (closes ? "Connection: close\r\n" : "") + "\r\n" + body
}

/// The raw response the server makes itself for `status`, without `Date`.
func serverResponse(_ status: String, version: String = "HTTP/1.1") -> String {
    let body = "\(status)\n"
    return "\(version) \(status)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
}
