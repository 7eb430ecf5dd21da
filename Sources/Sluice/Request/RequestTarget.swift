// Splitting a request-target into its decoded path and raw query.

/// A request-target in origin form (`/path?query`), as a client sends it (RFC 9112 section 3.2).
public struct RequestTarget: Sendable, Hashable {
    /// The target exactly as received.
    public var raw: String

    /// Creates a target from the raw text.
    public init(_ raw: String) {
        self.raw = raw
    }

    /// The path part, still percent-encoded: everything before the first `?` (and any `#`).
    public var encodedPath: Substring {
        let end = raw.utf8.firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? raw.endIndex
        return raw[..<end]
    }

    /// The query part without its `?`, still percent-encoded; empty when there is none.
    public var query: Substring {
        let bytes = raw.utf8
        guard let mark = bytes.firstIndex(of: UInt8(ascii: "?")) else { return "" }
        let start = bytes.index(after: mark)
        let end = bytes[start...].firstIndex(of: UInt8(ascii: "#")) ?? raw.endIndex
        return raw[start..<end]
    }

    /// The decoded path of the target (Spec REQ-4 steps 1 to 5): dot segments removed as
    /// RFC 3986 section 5.2.4 says, each segment percent-decoded after that, empty segments
    /// (`//`) kept. An escaped `.` (`%2E`) counts as a dot, so `/%2e%2e/` cannot climb.
    ///
    /// This is the path whatever it holds; an adapter routes on ``checkedDecodedPath()``,
    /// which refuses the paths no application may be handed.
    public var decodedPath: String {
        decoded().path
    }

    /// The decoded path an application routes on (Spec REQ-4), or why the request must be
    /// refused with 400 instead (step 6, Spec REQ-15): a dot segment that appears once `%2F` is
    /// decoded (`%2e%2e%2f`), a `..` that removes a segment holding `%2F`, or a control
    /// character (C0 or DEL), raw or escaped (`%00`).
    ///
    /// - Throws: ``UnsafePath`` naming the first reason found.
    public func checkedDecodedPath() throws(UnsafePath) -> String {
        let decoded = decoded()
        if let refusal = decoded.refusal { throw refusal }
        return decoded.path
    }

    /// The decoded path and, when it must not reach an application, why.
    private func decoded() -> (path: String, refusal: UnsafePath?) {
        let encoded = encodedPath
        guard RequestTarget.needsDecoding(encoded) else { return (String(encoded), nil) }
        var kept: [Substring] = []
        var refusal: UnsafePath?
        let segments = encoded.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        var endsInDirectory = false
        for segment in segments {
            switch RequestTarget.dotKind(of: segment) {
            case .current:
                endsInDirectory = true
            case .parent:
                // A front server that decodes `a%2Fb` first removes only `b` here.
                if let removed = kept.popLast(), RequestTarget.containsEncodedSlash(removed) {
                    refusal = refusal ?? .dotSegmentBehindEncodedSlash
                }
                endsInDirectory = true
            case .none:
                kept.append(segment)
                endsInDirectory = false
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encoded.utf8.count + 1)
        for segment in kept {
            bytes.append(UInt8(ascii: "/"))
            bytes += percentDecodedBytes(segment.utf8)
        }
        if endsInDirectory || (bytes.isEmpty && !segments.isEmpty) {
            bytes.append(UInt8(ascii: "/"))
        }
        // Raw and escaped dot segments are gone: a dot segment left came through a `%2F`.
        switch UnsafePath.reason(inDecoded: bytes) {
        case .dotSegment?: refusal = refusal ?? .dotSegmentBehindEncodedSlash
        case let found?: refusal = refusal ?? found
        case nil: break
        }
        return (String(decoding: bytes, as: UTF8.self), refusal)
    }

    /// Whether a path needs the full algorithm: it has an escape, a dot segment or a control
    /// character, or does not start with `/`. Most paths do not, and decode to themselves.
    private static func needsDecoding(_ path: Substring) -> Bool {
        guard path.utf8.first == UInt8(ascii: "/") else { return !path.isEmpty }
        var segmentLength = 0
        var segmentIsDots = true
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "%"):
                return true
            case UInt8(ascii: "/"):
                if segmentLength > 0, segmentLength <= 2, segmentIsDots { return true }
                segmentLength = 0
                segmentIsDots = true
            default:
                if byte.isControlCharacter { return true }
                segmentLength += 1
                segmentIsDots = segmentIsDots && byte == UInt8(ascii: ".")
            }
        }
        return segmentLength > 0 && segmentLength <= 2 && segmentIsDots
    }

    /// Whether a raw segment holds an escaped slash, `%2F` or `%2f`.
    private static func containsEncodedSlash(_ segment: Substring) -> Bool {
        var escape = segment.utf8[...]
        while let percent = escape.firstIndex(of: UInt8(ascii: "%")) {
            escape = escape[escape.index(after: percent)...]
            if escape.starts(with: "2F".utf8) || escape.starts(with: "2f".utf8) { return true }
        }
        return false
    }

    private enum DotKind { case current, parent }

    /// Whether a raw segment is `.` or `..`, with dots possibly escaped as `%2E`.
    private static func dotKind(of segment: Substring) -> DotKind? {
        switch segment.lowercased() {
        case ".", "%2e": .current
        case "..", ".%2e", "%2e.", "%2e%2e": .parent
        default: nil
        }
    }
}
