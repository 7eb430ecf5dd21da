// LogFiles.swift — a server's log files, read back into a failure message.
public import Foundation

/// The log files of one process or server, in the order they are worth reading.
public struct LogFiles: Sendable {
    /// The files, which need not exist yet.
    public var files: [URL]

    /// Collects `files` in reading order.
    public init(_ files: [URL]) {
        self.files = files
    }

    /// Each file's last `limit` bytes under a `--- path ---` header, with "(missing)"
    /// or "(empty)" where there is nothing: text to append to a failure message.
    public func report(lastBytesPerFile limit: Int = 16_384) -> String {
        files.map { file in
            var section = "--- \(file.path) ---\n"
            guard let data = FileManager.default.contents(atPath: file.path) else {
                return section + "(missing)\n"
            }
            if data.isEmpty {
                return section + "(empty)\n"
            }
            if data.count > limit {
                section += "(last \(limit) of \(data.count) bytes)\n"
            }
            let text = String(decoding: data.suffix(limit), as: UTF8.self)
            return section + text + (text.hasSuffix("\n") ? "" : "\n")
        }.joined()
    }
}
