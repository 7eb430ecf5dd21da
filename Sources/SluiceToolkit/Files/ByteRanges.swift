// The Range field (RFC 9110 section 14.2): which bytes of a representation a client wants.

/// A `Range: bytes=…` field resolved against a representation's size.
enum ByteRanges: Equatable {
    /// No range applies: send the whole representation (no field, or a unit other than bytes).
    case whole
    /// Send these ranges, ascending, none overlapping.
    case ranges([ClosedRange<Int>])
    /// Answer 416: the field is malformed, no range is satisfiable, ranges overlap, or there
    /// are too many.
    case unsatisfiable

    /// The most ranges one request may ask for: more is a known denial of service.
    static let maximumCount = 16

    /// Resolves a `Range` value against a representation of `size` bytes.
    ///
    /// RFC 9110 lets a server ignore a malformed or abusive field; this one refuses it with 416
    /// instead, so that a client sees its mistake. Overlapping ranges are refused (RFC 9110
    /// section 14.2 names them as a sign of an attack), and so are ranges whose numbers do not fit
    /// in 63 bits.
    init(parsing value: String, size: Int) {
        let trimmed = value.trimmingASCIIWhitespace()
        guard let equals = trimmed.firstIndex(of: "="), trimmed[..<equals].trimmingASCIIWhitespace().lowercased() == "bytes" else {
            self = .whole
            return
        }
        let specs = trimmed[trimmed.index(after: equals)...].split(separator: ",").map { $0.trimmingASCIIWhitespace() }.filter { !$0.isEmpty }
        guard !specs.isEmpty, specs.count <= Self.maximumCount else {
            self = .unsatisfiable
            return
        }
        var ranges: [ClosedRange<Int>] = []
        for spec in specs {
            guard let dash = spec.firstIndex(of: "-") else {
                self = .unsatisfiable
                return
            }
            let first = spec[..<dash]
            let last = spec[spec.index(after: dash)...]
            if first.isEmpty {
                guard let suffix = Self.number(last) else {
                    self = .unsatisfiable
                    return
                }
                if suffix > 0, size > 0 { ranges.append(max(0, size - suffix)...(size - 1)) }
            } else {
                guard let start = Self.number(first), last.isEmpty || Self.number(last).map({ $0 >= start }) == true else {
                    self = .unsatisfiable
                    return
                }
                let end = last.isEmpty ? size - 1 : min(Self.number(last)!, size - 1)
                if start < size { ranges.append(start...end) }
            }
        }
        ranges.sort { $0.lowerBound < $1.lowerBound }
        guard !ranges.isEmpty, zip(ranges, ranges.dropFirst()).allSatisfy({ $0.upperBound < $1.lowerBound }) else {
            self = .unsatisfiable
            return
        }
        self = .ranges(ranges)
    }

    /// A run of 1 to 18 ASCII digits as a number; longer runs do not fit and are `nil`.
    private static func number(_ text: Substring) -> Int? {
        guard (1...18).contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int(text)
    }
}
