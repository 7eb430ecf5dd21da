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

    /// The decoded path an application routes on (Spec REQ-4): dot segments removed as
    /// RFC 3986 section 5.2.4 says, each segment percent-decoded after that, empty segments
    /// (`//`) kept. An escaped `.` (`%2E`) counts as a dot, so `/%2e%2e/` cannot climb.
    public var decodedPath: String {
        let encoded = encodedPath
        guard RequestTarget.needsDecoding(encoded) else { return String(encoded) }
        var output: [Substring] = []
        let segments = encoded.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        var endsInDirectory = false
        for segment in segments {
            switch RequestTarget.dotKind(of: segment) {
            case .current:
                endsInDirectory = true
            case .parent:
                if !output.isEmpty { output.removeLast() }
                endsInDirectory = true
            case .none:
                output.append(segment)
                endsInDirectory = false
            }
        }
        var path = output.map { "/" + percentDecoded($0) }.joined()
        if endsInDirectory || (path.isEmpty && !segments.isEmpty) {
            path += "/"
        }
        return path
    }

    /// Whether a path needs the full algorithm: it has an escape or a dot segment, or does not
    /// start with `/`. Most paths do not, and decode to themselves.
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
                segmentLength += 1
                segmentIsDots = segmentIsDots && byte == UInt8(ascii: ".")
            }
        }
        return segmentLength > 0 && segmentLength <= 2 && segmentIsDots
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
