// A connection from the front server: its socket, and where its records stand.

import Glibc

/// One connection from the front server, served by the worker that accepted it.
final class Connection {
    /// The socket.
    let descriptor: Int32
    /// Its records, taken apart up to the last byte read.
    var records = InboundRecords()
    /// The params of the request being read.
    var params: ParamsCollector

    init(descriptor: Int32, limits: FastCGILimits) {
        self.descriptor = descriptor
        params = ParamsCollector(maximumLength: limits.maximumParamsLength, maximumCount: limits.maximumParamsCount)
    }

    /// Closes the socket, once, when the worker is done with the connection.
    func close() {
        _ = Glibc.close(descriptor)
    }
}
