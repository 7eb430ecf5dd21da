// Which of the versions a request can arrive in: what HTTP/1.1 added, and HTTP/2's own framing.

import NIOHTTP1

extension HTTPVersion {
    /// HTTP/1.1, or HTTP/2 (whose requests arrive as version 2.0): informational responses,
    /// trailers, `Expect: 100-continue` and persistent connections by default.
    var isHTTP11OrLater: Bool {
        major > 1 || (major == 1 && minor >= 1)
    }

    /// HTTP/2: a stream frames its messages itself, and no field says how (RFC 9113 §8.1).
    var isHTTP2: Bool {
        major == 2
    }
}
