// TemporaryDirectory.swift — one fresh directory per test for configs, sockets and logs.
public import Foundation
import Testing

/// A new directory under `/tmp` for one test: rendered configs, pid files, unix
/// sockets and server logs. It is removed when the last reference goes away, unless
/// the environment variable `KEEP_TMP` is `1`, in which case its path is printed to
/// standard error so the logs can be read after the run.
///
/// It is created with mode 0755 because servers started as root run their workers as
/// www-data, who must be able to traverse it. It lives in `/tmp` itself rather than
/// `$TMPDIR` so that unix socket paths inside it stay far below the 108-byte limit and
/// every ancestor is traversable by www-data.
public final class TemporaryDirectory: Sendable {
    /// The directory's location.
    public let url: URL

    /// The directory's path.
    public var path: String {
        url.path
    }

    /// Whether this directory is removed even when `KEEP_TMP=1` (scratch space of the
    /// harness itself, such as one curl run's files).
    private let isScratch: Bool

    /// Whether directories are kept after their tests: `KEEP_TMP=1`.
    public static var keepsDirectories: Bool {
        ProcessInfo.processInfo.environment["KEEP_TMP"] == "1"
    }

    /// Creates `/tmp/sluice-<label>-XXXXXX` with mode 0755, where `label` defaults to
    /// the name of the running test (shortened to letters and digits).
    public convenience init(label: String? = nil) throws {
        try self.init(label: label, isScratch: false)
    }

    /// Creates the directory; a scratch directory is removed even when `KEEP_TMP=1`.
    init(label: String?, isScratch: Bool) throws {
        self.isScratch = isScratch
        let name = Self.shortened(label ?? Test.current?.name ?? "test")
        var template = Array("/tmp/sluice-\(name)-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in
            mkdtemp(buffer.baseAddress!)
        }
        guard let created else {
            throw HarnessError.systemCall("mkdtemp(/tmp/sluice-\(name)-XXXXXX)", errno: errno)
        }
        let path = String(cString: created)
        guard chmod(path, 0o755) == 0 else {
            throw HarnessError.systemCall("chmod 0755 \(path)", errno: errno)
        }
        url = URL(fileURLWithPath: path, isDirectory: true)
    }

    /// The location of `name` (a file name or a relative path) inside the directory.
    public func appending(_ name: String) -> URL {
        url.appendingPathComponent(name)
    }

    /// Writes `text` to `name` inside the directory, with `mode` (0644 by default;
    /// 0755 for a script), and returns its location.
    @discardableResult
    public func write(_ text: String, to name: String, mode: mode_t = 0o644) throws -> URL {
        let file = appending(name)
        try Data(text.utf8).write(to: file)
        guard chmod(file.path, mode) == 0 else {
            throw HarnessError.systemCall("chmod \(String(mode, radix: 8)) \(file.path)", errno: errno)
        }
        return file
    }

    deinit {
        if Self.keepsDirectories && !isScratch {
            FileHandle.standardError.write(Data("KEEP_TMP=1: kept \(path)\n".utf8))
        } else {
            try? FileManager.default.removeItem(at: url)
        }
    }

    private static func shortened(_ label: String) -> String {
        let kept = label.unicodeScalars.filter { $0.isASCII && CharacterSet.alphanumerics.contains($0) }
        return String(String.UnicodeScalarView(kept.prefix(24)))
    }
}
