// Where the response reader gets its bytes: a socket, or canned bytes in tests.

/// A stream of bytes received from a server.
protocol ByteSource: AnyObject {
    /// The next bytes, or `nil` at the end of the stream; throws when none arrive in time.
    func receive() throws -> [UInt8]?
}
