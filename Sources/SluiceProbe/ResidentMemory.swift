// The process's resident memory, for tests that check a server streams rather than buffers.

#if canImport(Glibc)
import Glibc
#endif

/// `VmHWM` (peak) and `VmRSS` (current) from `/proc/self/status`, in KiB; `null` where the
/// platform has no `/proc`.
func residentMemoryReport() -> JSON {
    var peak: Int?
    var current: Int?
    #if canImport(Glibc)
    if let file = fopen("/proc/self/status", "r") {
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let kibibytes = Int(text.filter(\.isNumber))
            if text.hasPrefix("VmHWM:") { peak = kibibytes }
            if text.hasPrefix("VmRSS:") { current = kibibytes }
        }
    }
    #endif
    return .object([("peakResidentKiB", .optional(peak)), ("residentKiB", .optional(current))])
}
