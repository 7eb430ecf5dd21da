// TemporaryDirectory+Program.swift — a copy of a program where a server's worker user can run it.
public import Foundation

extension TemporaryDirectory {
    /// Copies the executable at `path` into the directory as `name`, mode 0755, and returns
    /// the copy's location: a CGI server's worker user (www-data when the tests run as root)
    /// can reach this directory, but not always the build directory.
    public func copyProgram(from path: String, as name: String) throws -> URL {
        let copy = appending(name)
        try FileManager.default.copyItem(atPath: path, toPath: copy.path)
        guard chmod(copy.path, 0o755) == 0 else {
            throw HarnessError.systemCall("chmod 755 \(copy.path)", errno: errno)
        }
        return copy
    }
}
