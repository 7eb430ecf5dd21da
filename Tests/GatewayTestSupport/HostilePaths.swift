// Generated request-targets and meta-variable sets for property tests: seeded, so a failure
// names the seed that reproduces it.

import Sluice

/// SplitMix64: a small, fast generator whose sequence a seed fixes.
package struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    package init(seed: UInt64) {
        state = seed
    }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// Builds the paths an attacker or a careless front server sends: dots plain and escaped,
/// escaped slashes, control characters raw and escaped, broken escapes, invalid UTF-8.
package enum HostilePaths {
    /// The pieces a path is made of.
    package static let pieces = [
        "a", "b", "app", "etc", "passwd", ".", "..", "/", "/", "/", "//", "%2e", "%2E", "%2e%2e", ".%2e", "%2f", "%2F", "%5c", "\\",
        "%00", "%0a", "%0D", "%1f", "%7f", "%7F", "\u{1}", "\u{7f}", "%", "%z", "%2", "%41", "%25", "%252e", "%252F", "é", "%C3%A9",
        "%FF", "%C0%AE", "?", "?q=%2e%2e", "#frag", ";", "%3B", " ", "%20",
    ]

    /// A path (or target) of up to `maximumPieces` pieces after a leading `/`.
    package static func target(using generator: inout SeededGenerator, maximumPieces: Int = 12) -> String {
        let count = Int.random(in: 0...maximumPieces, using: &generator)
        return "/" + (0..<count).map { _ in pieces.randomElement(using: &generator)! }.joined()
    }

    /// A decoded path as a front server might pass it in `PATH_INFO` or `SCRIPT_NAME`: the
    /// pieces decoded, dots left as they came.
    package static func decodedPath(using generator: inout SeededGenerator) -> String {
        percentDecoded(target(using: &generator, maximumPieces: 6))
    }

    /// The decoded path of `target` as a front server that decodes before it resolves dot
    /// segments computes it (RFC 3986 section 5.2.4 on the decoded bytes, empty segments kept):
    /// the model Sluice's accepted paths must agree with.
    package static func decodedFirst(_ target: String) -> String {
        let path = RequestTarget(target).encodedPath
        let decoded = [UInt8](percentDecoded(path).utf8)
        // Decode first, then resolve dots; the bytes are re-read as text only at the end.
        guard decoded.first == UInt8(ascii: "/") else { return decoded.isEmpty ? "" : "/" }
        var kept: [ArraySlice<UInt8>] = []
        var endsInDirectory = false
        for segment in decoded.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst() {
            if segment.elementsEqual(".".utf8) {
                endsInDirectory = true
            } else if segment.elementsEqual("..".utf8) {
                _ = kept.popLast()
                endsInDirectory = true
            } else {
                kept.append(segment)
                endsInDirectory = false
            }
        }
        var bytes = kept.flatMap { [UInt8(ascii: "/")] + $0 }
        if endsInDirectory || bytes.isEmpty { bytes.append(UInt8(ascii: "/")) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether a path an application was handed keeps the promise of Spec REQ-15.
    package static func isSafe(_ path: String) -> Bool {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        return !segments.contains { $0 == "." || $0 == ".." } && !path.utf8.contains { $0 < 0x20 || $0 == 0x7F }
    }
}
