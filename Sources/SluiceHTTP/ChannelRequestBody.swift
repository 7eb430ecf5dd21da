// The request side of one exchange: body bytes from the channel, as the application asks.

import Sluice

/// Delivers a request body from the connection. Each call asks the handler for one chunk;
/// the handler reads from the socket only while the application keeps asking (Spec BODY-2)
/// and answers `Expect: 100-continue` on the first call (Spec BODY-6).
struct ChannelRequestBody: RequestBodySource {
    let connection: ConnectionLink
    /// The request on the connection whose body this is.
    let id: Int

    mutating func next() async throws -> [UInt8]? {
        try await connection.nextBodyChunk(id: id)
    }
}
