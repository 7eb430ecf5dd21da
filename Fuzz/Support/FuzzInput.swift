// What every harness shares: the fuzzer's bytes read as pieces, and the check that stops a run.
// Scripts/fuzz compiles this file into each harness (Docs/testing.md, "Fuzzing").

/// The input libFuzzer hands a harness, read front to back.
struct FuzzInput {
    private var bytes: ArraySlice<UInt8>

    /// The bytes of one call of `LLVMFuzzerTestOneInput`.
    init(_ data: UnsafePointer<UInt8>, _ count: Int) {
        bytes = Array(UnsafeBufferPointer(start: data, count: count))[...]
    }

    /// Whether every byte was taken.
    var isEmpty: Bool { bytes.isEmpty }

    /// The next byte, or 0 once the input is used up: a harness draws its choices from it.
    mutating func byte() -> UInt8 {
        bytes.popFirst() ?? 0
    }

    /// The bytes up to the next `separator` (dropped) or the end.
    mutating func piece(until separator: UInt8) -> [UInt8] {
        let end = bytes.firstIndex(of: separator) ?? bytes.endIndex
        defer { bytes = end == bytes.endIndex ? bytes[end...] : bytes[(end + 1)...] }
        return Array(bytes[..<end])
    }

    /// A number made of the next `count` bytes, most significant first.
    mutating func number(ofBytes count: Int) -> Int {
        (0..<count).reduce(0) { number, _ in number << 8 | Int(byte()) }
    }

    /// Every piece left, split at NUL, as `name:value` fields split at the first colon; a piece
    /// without one is a name with an empty value.
    mutating func fields() -> [(name: String, value: String)] {
        pieces(separatedBy: 0).map { piece in
            let colon = piece.firstIndex(of: UInt8(ascii: ":")) ?? piece.endIndex
            let value = colon == piece.endIndex ? [] : piece[(colon + 1)...]
            return (String(decoding: piece[..<colon], as: UTF8.self), String(decoding: value, as: UTF8.self))
        }
    }

    /// ``piece(until:)`` as text; bytes that are not UTF-8 become U+FFFD, as in every string.
    mutating func text(until separator: UInt8) -> String {
        String(decoding: piece(until: separator), as: UTF8.self)
    }

    /// Every piece left, split at `separator`.
    mutating func pieces(separatedBy separator: UInt8) -> [[UInt8]] {
        var found: [[UInt8]] = []
        while !bytes.isEmpty { found.append(piece(until: separator)) }
        return found
    }

    /// What is left, all of it.
    mutating func rest() -> [UInt8] {
        defer { bytes = bytes[bytes.endIndex...] }
        return Array(bytes)
    }
}

/// Ends the run with a crash libFuzzer records, naming the broken promise, unless it holds.
/// Unlike `assert` it is checked in optimised builds too.
func require(_ promise: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !promise() { fatalError("broken promise: \(message())") }
}
