// Paths compared as bytes: what a path starts and ends with, and what it starts with.

extension String {
    /// Whether the first byte is `/`. Compared as bytes, not as `Character`s: a `/` followed by a
    /// combining mark (`/\u{5C5}`) is one `Character` that is not `/`, but it is a `/` on the wire.
    package var startsWithSlash: Bool { utf8.first == UInt8(ascii: "/") }

    /// Whether the last byte is `/`.
    var endsWithSlash: Bool { utf8.last == UInt8(ascii: "/") }
}
