// The status that answers a request NIO's parser rejects.

import NIOHTTP1

/// Chooses the status for bytes the HTTP decoder could not parse: 400, 431 when a head
/// overflowed the decoder's limits, 505 when the HTTP version is neither 1.0 nor 1.1 (llhttp
/// rejects `HTTP/1.2` or `HTTP/3.0` before ``check(_:limits:)`` sees the head) (Spec HTTP-3,
/// ERR-3). The connection's state machine decides when the answer goes out, if at all.
enum ParserErrorStatus {
    /// The status that answers `error`, given the bytes the decoder was parsing when it failed,
    /// if known.
    static func status(for error: HTTPParserError, parsing bytes: UnsafeRawBufferPointer?) -> HTTPResponseStatus {
        switch error {
        case .headerOverflow: .requestHeaderFieldsTooLarge
        case .invalidVersion where !endsSupportedVersionBadly(bytes): .httpVersionNotSupported
        default: .badRequest
        }
    }

    /// Whether `bytes` hold `HTTP/1.0` or `HTTP/1.1` followed by anything but CR LF. llhttp
    /// reports that line ending (a bare LF, Spec HTTP-3) as an invalid version too, but the
    /// version itself was fine: malformed framing, 400.
    private static func endsSupportedVersionBadly(_ bytes: UnsafeRawBufferPointer?) -> Bool {
        guard let bytes else { return false }
        let versions = [Array("HTTP/1.0".utf8), Array("HTTP/1.1".utf8)]
        for start in bytes.indices {
            let rest = bytes[start...]
            guard versions.contains(where: { rest.starts(with: $0) }) else { continue }
            let after = rest.dropFirst(8).prefix(2)
            // A read may end inside the line ending: only bytes seen count against it.
            if !after.elementsEqual([13, 10].prefix(after.count)) { return true }
        }
        return false
    }
}
