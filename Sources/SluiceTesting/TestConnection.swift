// The test server's end of the connection: the ResponseWriter the gateway writes through.

import Sluice
import Synchronization

/// What the test server sends toward the client, in order.
enum ServerEvent: Sendable {
    case informational(InformationalResponse)
    case head(status: Response.Status, headers: Headers)
    case bytes([UInt8])
    case end(trailers: Headers?)
}

/// The transport of the test server: it keeps written bytes in a buffer and passes them to
/// the client when the application flushes, when the buffer fills, and at the end — the way
/// a socket's send buffer behaves, so a test sees whether an application flushes (Spec RESP-9).
///
/// Passing bytes on waits until the client takes them (backpressure), and fails with
/// ``ClientDisconnected`` once the client has gone (Spec LIFE-4).
final class TestConnection: ResponseWriter {
    /// How many unflushed bytes the buffer holds before it passes them on anyway.
    static let bufferCapacity = 64 * 1024

    private struct Buffer {
        var bytes: [UInt8] = []
        var totalWritten = 0
    }

    private let events: Handoff<ServerEvent>
    private let record: ExchangeRecord
    private let buffer = Mutex(Buffer())

    init(events: Handoff<ServerEvent>, record: ExchangeRecord) {
        self.events = events
        self.record = record
    }

    func writeInformational(status: Response.Status, headers: Headers) async throws {
        try await send(.informational(InformationalResponse(status: status, headers: headers)))
    }

    func writeHead(status: Response.Status, headers: Headers) async throws {
        record.update { $0.headWritten = true }
        try await send(.head(status: status, headers: headers))
    }

    func write(_ bytes: [UInt8]) async throws {
        try checkConnected()
        if !bytes.isEmpty { record.update { $0.responseBodyStarted = true } }
        let full = buffer.withLock { buffer -> [UInt8]? in
            buffer.bytes += bytes
            buffer.totalWritten += bytes.count
            return buffer.bytes.count >= Self.bufferCapacity ? takeBuffered(&buffer) : nil
        }
        if let full { try await send(.bytes(full)) }
    }

    func flush() async throws {
        try checkConnected()
        let pending = buffer.withLock { buffer in
            let offset = buffer.totalWritten
            record.update { facts in
                facts.flushOffsets.append(offset)
                facts.responseBodyStarted = true
            }
            return takeBuffered(&buffer)
        }
        if !pending.isEmpty { try await send(.bytes(pending)) }
    }

    func finish(trailers: Headers?) async throws {
        try checkConnected()
        let pending = buffer.withLock { takeBuffered(&$0) }
        if !pending.isEmpty { try await send(.bytes(pending)) }
        try await send(.end(trailers: trailers))
    }

    private func takeBuffered(_ buffer: inout Buffer) -> [UInt8] {
        defer { buffer.bytes = [] }
        return buffer.bytes
    }

    /// Throws when the client has gone, also for writes that would only fill the buffer.
    private func checkConnected() throws {
        if Task.isCancelled || record.update({ $0.disconnected }) { throw ClientDisconnected() }
    }

    /// Passes an event to the client; a cancelled wait means the client went away.
    private func send(_ event: ServerEvent) async throws {
        do {
            try await events.send(event)
        } catch is CancellationError {
            throw ClientDisconnected()
        }
    }
}
