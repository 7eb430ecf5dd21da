// The response side of one exchange: what the gateway writes, put on the channel.

import Sluice

/// Writes a response to the connection with backpressure: a write waits while the socket's
/// send buffer is full, and throws ``ClientDisconnected`` once the client has gone.
struct ChannelResponseWriter: ResponseWriter {
    let connection: ConnectionLink
    /// The request on the connection this answers.
    let id: Int

    func writeInformational(status: Response.Status, headers: Headers) async throws {
        try await connection.writeInformational(id: id, status: status, headers: headers)
    }

    func writeHead(status: Response.Status, headers: Headers) async throws {
        try await connection.writeHead(id: id, status: status, headers: headers)
    }

    func writeWholeResponse(status: Response.Status, headers: Headers, body: [UInt8]) async throws -> Bool {
        try await connection.writeWholeResponse(id: id, status: status, headers: headers, body: body)
    }

    func acceptWebSocket(_ handshake: WebSocketHandshake, subprotocol: String?, headers: Headers) async throws -> (any WebSocketTransport)? {
        try await connection.acceptWebSocket(id: id, handshake: handshake, subprotocol: subprotocol, headers: headers)
    }

    func write(_ bytes: [UInt8]) async throws {
        try await connection.write(id: id, bytes)
    }

    func flush() async throws {
        try await connection.flush(id: id)
    }

    func finish(trailers: Headers?) async throws {
        try await connection.finish(id: id, trailers: trailers)
    }
}
