// Noticing edits by polling modification times: no inotify, works everywhere.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The files under some folders, with their modification times and sizes.
struct SourceWatcher {
    let folders: [String]
    private var snapshot: [String: [Int]] = [:]

    init(folders: [String]) {
        self.folders = folders
        snapshot = scan()
    }

    /// `Sources` and `Examples`, those of them that exist in the current directory.
    static func defaultFolders() -> [String] {
        ["Sources", "Examples"].filter { access($0, F_OK) == 0 }
    }

    /// Whether any file was added, removed or modified since the last call (or creation).
    mutating func changed() -> Bool {
        let now = scan()
        defer { snapshot = now }
        return now != snapshot
    }

    private func scan() -> [String: [Int]] {
        var files: [String: [Int]] = [:]
        for folder in folders { Self.scan(folder, into: &files) }
        return files
    }

    /// Every file below `path`, skipping hidden entries (.build, .git, editors' swap files).
    private static func scan(_ path: String, into files: inout [String: [Int]]) {
        guard let directory = opendir(path) else { return }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard !name.hasPrefix(".") else { continue }
            let child = path + "/" + name
            var info = stat()
            guard stat(child, &info) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFDIR {
                scan(child, into: &files)
            } else {
                let modified = Platform.modificationTime(of: info)
                files[child] = [modified.seconds, modified.nanoseconds, Int(info.st_size)]
            }
        }
    }
}
