// Fuzz harness: percent-decoding and the decoded path of a request-target (Spec REQ-4, REQ-15).
// Module under test: SluiceCGIWire

@testable import Sluice
@testable import SluiceCGIWire

/// The input is a request-target. Whatever it holds, no accepted path has a `.` or `..`
/// segment or a control character (REQ-15); the checked path is the unchecked one; and
/// encoding an accepted path and decoding it again gives it back.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPath(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    var input = FuzzInput(data, count)
    let raw = input.text(until: 0)
    let target = RequestTarget(raw)
    _ = percentDecoded(raw)
    let unchecked = target.decodedPath
    guard let path = try? target.checkedDecodedPath() else { return 0 }
    require(path == unchecked, "checked \(String(reflecting: path)) differs from unchecked \(String(reflecting: unchecked))")
    require(UnsafePath.reason(inDecoded: path.utf8) == nil, "\(String(reflecting: raw)) gave \(String(reflecting: path))")
    require(path.isEmpty || path.startsWithSlash || !raw.startsWithSlash, "\(String(reflecting: path)) does not start with /")
    // A decoded path holds no `%` escapes of its own meaning only when re-encoded: the round trip
    // through percentEncodedPath (used to rebuild targets, REQ-2) must give the path back.
    if path.startsWithSlash, !path.unicodeScalars.contains("\u{FFFD}") {
        let again = try? RequestTarget(percentEncodedPath(path)).checkedDecodedPath()
        require(again == path, "\(String(reflecting: path)) re-encoded decodes to \(String(reflecting: again))")
    }
    return 0
}
