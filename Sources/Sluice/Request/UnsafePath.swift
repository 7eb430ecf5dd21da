// The paths no application is handed: dot segments and control characters (Spec REQ-4, REQ-15).

/// Why a request's path is refused rather than handed to an application (Spec REQ-4 step 6,
/// REQ-15). The adapter answers 400 and logs the reason; the application is not called.
public enum UnsafePath: Error, Hashable, Sendable, CustomStringConvertible {
    /// A `.` or `..` segment that appears only once escaped slashes are decoded
    /// (`%2e%2e%2f`), or a `..` that would remove a segment holding an escaped slash
    /// (`a%2Fb/..`): a front server that decodes before it resolves dots routes such a path to
    /// another resource than the one Sluice's decoded path names.
    case dotSegmentBehindEncodedSlash
    /// A control character — C0 (`0x00`...`0x1F`) or DEL (`0x7F`) — raw or escaped (`%00`).
    case controlCharacter(UInt8)
    /// A `.` or `..` segment in a path a front server passed already decoded (`PATH_INFO`,
    /// `SCRIPT_NAME`): it did not resolve them, and they cannot be resolved the same way the
    /// front server routed.
    case dotSegment

    /// What is wrong, in a few words.
    public var description: String {
        switch self {
        case .dotSegmentBehindEncodedSlash: "a dot segment appears or disappears once %2F is decoded"
        case let .controlCharacter(byte): "the decoded path holds the control character 0x\(byte < 16 ? "0" : "")\(String(byte, radix: 16, uppercase: true))"
        case .dotSegment: "a decoded path holds a . or .. segment"
        }
    }

    /// The reason a decoded path — segments of decoded bytes between `/` — may not reach an
    /// application, or `nil` when it may: a segment that is `.` or `..` (`dotSegment`), or a
    /// control character.
    package static func reason(inDecoded path: some Collection<UInt8>) -> UnsafePath? {
        if let control = path.first(where: \.isControlCharacter) { return .controlCharacter(control) }
        return containsDotSegment(path) ? .dotSegment : nil
    }

    /// Whether a decoded path has a segment that is exactly `.` or `..`.
    static func containsDotSegment(_ path: some Collection<UInt8>) -> Bool {
        var segmentLength = 0
        var segmentIsDots = true
        for byte in path {
            if byte == UInt8(ascii: "/") {
                if segmentIsDots, segmentLength == 1 || segmentLength == 2 { return true }
                segmentLength = 0
                segmentIsDots = true
            } else {
                segmentLength += 1
                segmentIsDots = segmentIsDots && byte == UInt8(ascii: ".")
            }
        }
        return segmentIsDots && (segmentLength == 1 || segmentLength == 2)
    }
}

extension UInt8 {
    /// Whether the byte is a C0 control character or DEL, which no path an application is
    /// handed may hold (Spec REQ-15).
    var isControlCharacter: Bool {
        self < 0x20 || self == 0x7F
    }
}
