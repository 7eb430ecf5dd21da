// The few file-system calls the toolkit makes, on the platform's C library (never Foundation).

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An error from the C library: the call and its `errno`.
struct SystemError: Error, CustomStringConvertible {
    var call: String
    var code: Int32

    var description: String { "\(call): \(String(cString: strerror(code)))" }

    /// The error `call` just left in `errno`.
    static func last(_ call: String) -> SystemError { SystemError(call: call, code: errno) }
}

/// A file descriptor opened by the toolkit, closed exactly once.
final class OpenFile {
    let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Opens an existing file for reading.
    static func reading(_ path: String) throws -> OpenFile {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SystemError.last("open \(path)") }
        return OpenFile(descriptor: descriptor)
    }

    /// Creates a new, private file with a unique name in `directory`.
    static func temporary(in directory: String, prefix: String) throws -> (path: String, file: OpenFile) {
        var template = Array((directory.hasSuffix("/") ? directory : directory + "/").utf8CString.dropLast())
        template += Array("\(prefix)XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw SystemError.last("mkstemp in \(directory)") }
        return (String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self), OpenFile(descriptor: descriptor))
    }

    /// Writes all of `bytes`.
    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw SystemError.last("write") }
            offset += written
        }
    }

    /// Up to `count` bytes from `offset`; fewer only at the end of the file.
    func read(count: Int, at offset: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = bytes.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + filled, count - filled, off_t(offset + filled))
            }
            if got < 0, errno == EINTR { continue }
            guard got >= 0 else { throw SystemError.last("pread") }
            if got == 0 { break }
            filled += got
        }
        bytes.removeLast(count - filled)
        return bytes
    }

    /// What `fstat` says of the open file.
    func status() throws -> FileStatus {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw SystemError.last("fstat") }
        return FileStatus(info)
    }
}

/// The parts of `stat` the toolkit uses.
struct FileStatus: Equatable {
    var size: Int
    var isRegularFile: Bool
    var isDirectory: Bool
    /// Modification time: seconds since the epoch, and nanoseconds.
    var modified: Int
    var modifiedNanoseconds: Int

    init(_ info: stat) {
        size = Int(info.st_size)
        isRegularFile = info.st_mode & S_IFMT == S_IFREG
        isDirectory = info.st_mode & S_IFMT == S_IFDIR
        #if canImport(Darwin)
        modified = Int(info.st_mtimespec.tv_sec)
        modifiedNanoseconds = Int(info.st_mtimespec.tv_nsec)
        #else
        modified = Int(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
        #endif
    }
}

/// File-system operations by path.
enum FileSystem {
    /// The canonical absolute path, symbolic links resolved; `nil` when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The status of the file at `path`, following symbolic links; `nil` when there is none.
    static func status(_ path: String) -> FileStatus? {
        var info = stat()
        return stat(path, &info) == 0 ? FileStatus(info) : nil
    }

    /// Removes a file; a missing one is not an error.
    static func remove(_ path: String) {
        unlink(path)
    }

    /// Moves a file within one file system.
    static func move(_ source: String, to destination: String) throws {
        guard rename(source, destination) == 0 else { throw SystemError.last("rename \(source) to \(destination)") }
    }

    /// The directory for temporary files: `TMPDIR`, or `/tmp`.
    static var temporaryDirectory: String {
        getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    }
}

/// `write(2)`, named apart from the method that calls it.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

/// The offset of the first `byte` in `bytes[from...]`, or `nil`: `memchr`, many times faster
/// than a loop over the bytes on a large upload.
func firstOffset(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
    guard start < bytes.count, let base = bytes.baseAddress else { return nil }
    guard let found = memchr(base + start, Int32(byte), bytes.count - start) else { return nil }
    return UnsafeRawPointer(found) - UnsafeRawPointer(base)
}
