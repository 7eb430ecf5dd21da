// Facts about the battery's own process: its memory, and files it leaves as signs.

import Glibc

/// `VmHWM` (peak) and `VmRSS` (current) resident size from /proc/self/status, in KiB, as
/// `VmHWM: 1234` lines.
func memoryReport() -> String {
    guard let file = fopen("/proc/self/status", "r") else { return "unavailable\n" }
    defer { fclose(file) }
    var lines: [String] = []
    var buffer = [CChar](repeating: 0, count: 256)
    while fgets(&buffer, Int32(buffer.count), file) != nil {
        let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        for name in ["VmHWM", "VmRSS"] where line.hasPrefix(name + ":") {
            lines.append("\(name): \(line.dropFirst(name.count + 1).filter(\.isNumber))")
        }
    }
    return lines.joined(separator: "\n") + "\n"
}

/// Creates (or empties) the file at `path`.
func createEmptyFile(at path: String) {
    if let file = fopen(path, "w") { fclose(file) }
}

/// The process id, for tests that tell worker processes apart.
func processID() -> Int32 {
    getpid()
}
