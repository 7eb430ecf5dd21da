// Fuzz harness: Range headers resolved against a size, and the If-Match / If-None-Match lists.
// Invariants: ranges are inside the file, ascending, apart, and at most 16.
// Module under test: SluiceToolkit

@testable import SluiceToolkit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRangeHeader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size >= 2 else { return 0 }
    let input = UnsafeBufferPointer(start: data, count: size)
    let fileSize = Int(input[0]) << 8 | Int(input[1])
    let text = String(decoding: input.dropFirst(2), as: UTF8.self)
    if case let .ranges(ranges) = ByteRanges(parsing: text, size: fileSize) {
        precondition(!ranges.isEmpty && ranges.count <= ByteRanges.maximumCount, "too many ranges")
        precondition(ranges.allSatisfy { $0.lowerBound >= 0 && $0.upperBound < fileSize }, "a range is outside the file")
        precondition(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound < $1.lowerBound }, "ranges overlap or are out of order")
    }
    let tag = EntityTag(opaque: "abc", isWeak: false)
    if case let .tags(tags) = EntityTag.Condition(parsing: text) {
        precondition(tags.allSatisfy { !$0.opaque.contains("\"") }, "a tag holds a quote")
    }
    _ = EntityTag.Condition(parsing: text).contains(tag, strongly: true)
    return 0
}
