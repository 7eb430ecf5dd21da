// The response side of one exchange: what the gateway writes, put on the channel.

import Sluice

/// Writes a response to the connection with backpressure: a write waits while the socket's
/// send buffer is full, and throws ``ClientDisconnected`` once the client has gone.
struct ChannelResponseWriter: ResponseWriter {
    let exchange: Exchange

    func writeInformational(status: Response.Status, headers: Headers) async throws {
        try await exchange.writeInformational(status: status, headers: headers)
    }

    func writeHead(status: Response.Status, headers: Headers) async throws {
        try await exchange.writeHead(status: status, headers: headers)
    }

    func writeWholeResponse(status: Response.Status, headers: Headers, body: [UInt8]) async throws -> Bool {
        try await exchange.writeWholeResponse(status: status, headers: headers, body: body)
    }

    func write(_ bytes: [UInt8]) async throws {
        try await exchange.write(bytes)
    }

    func flush() async throws {
        try await exchange.flush()
    }

    func finish(trailers: Headers?) async throws {
        try await exchange.finish(trailers: trailers)
    }
}
