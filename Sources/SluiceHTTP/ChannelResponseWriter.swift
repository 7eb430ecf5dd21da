// The response side of one exchange: what the gateway writes, put on the channel.

import NIOCore
import Sluice

/// Writes a response to the connection with backpressure: a write waits while the socket's
/// send buffer is full, and throws ``ClientDisconnected`` once the client has gone.
struct ChannelResponseWriter<App: Application>: ResponseWriter {
    let exchange: Exchange<App>

    func writeInformational(status: Response.Status, headers: Headers) async throws {
        let id = exchange.id
        try await exchange.perform { try $0.writeInformational(id: id, status: status, headers: headers) }
    }

    func writeHead(status: Response.Status, headers: Headers) async throws {
        let id = exchange.id
        try await exchange.perform { try $0.writeHead(id: id, status: status, headers: headers) }
    }

    func write(_ bytes: [UInt8]) async throws {
        let id = exchange.id
        let mustWait = try await exchange.perform { try $0.writeBody(id: id, bytes: bytes) }
        if mustWait {
            try await exchange.suspend { handler, continuation in
                handler.waitForWritability(id: id, continuation: continuation)
            }
        }
    }

    func flush() async throws {
        let id = exchange.id
        try await exchange.perform { try $0.flush(id: id) }
    }

    func finish(trailers: Headers?) async throws {
        let id = exchange.id
        try await exchange.perform { try $0.finish(id: id, trailers: trailers) }
    }
}
