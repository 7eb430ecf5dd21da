// WorkerUser.swift — the account server workers run as, and giving it what it needs.
public import Foundation

/// The account a front server's workers run as. Started as root, Apache refuses to
/// serve as root and drops to `User`; lighttpd drops to `server.username` and only
/// then opens its logs. So everything they read, write or execute must be reachable
/// by that account: www-data when the tests run as root, else the current user (an
/// unprivileged server keeps its user, and nothing needs changing).
public struct WorkerUser: Sendable, Hashable {
    /// The user name, for `User` / `server.username`.
    public let name: String
    /// The primary group's name, for `Group` / `server.groupname`.
    public let groupName: String
    /// The user id.
    public let uid: uid_t
    /// The primary group id.
    public let gid: gid_t

    /// Whether the tests run as root, so servers switch to another user.
    public static var testsRunAsRoot: Bool {
        geteuid() == 0
    }

    /// The account servers started by this process will run their workers as:
    /// www-data (via `getpwnam`) when running as root, the current user otherwise.
    public static func lookUp() throws -> WorkerUser {
        if testsRunAsRoot {
            guard let user = account(named: "www-data") else {
                throw HarnessError("running as root, but there is no www-data user for server workers (getpwnam(\"www-data\") found none)")
            }
            return user
        }
        guard let user = account(uid: geteuid()) else {
            throw HarnessError("no passwd entry for the current user (uid \(geteuid()))")
        }
        return user
    }

    /// Makes this account the owner of `file` (a file or directory, not recursively).
    /// Does nothing unless the tests run as root: then the file is already ours.
    public func takeOwnership(of file: URL) throws {
        guard Self.testsRunAsRoot else {
            return
        }
        guard chown(file.path, uid, gid) == 0 else {
            throw HarnessError.systemCall("chown \(name):\(groupName) \(file.path)", errno: errno)
        }
    }

    /// Creates (or empties) `file` and gives it to this account, as lighttpd needs for
    /// the logs it opens after dropping privileges.
    public func createFile(at file: URL, contents: Data = Data()) throws {
        try contents.write(to: file)
        try takeOwnership(of: file)
    }

    /// Creates `directory` (mode 0755, with intermediate directories) and gives it to
    /// this account, for upload spools and socket directories the server writes to.
    public func createDirectory(at directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try takeOwnership(of: directory)
    }

    /// Throws `HarnessError` naming the first obstacle if this account cannot run the
    /// program at `path`: a directory on the way it may not search, or a file it may
    /// not read and execute (a script must be readable too). Judged from mode bits,
    /// owner and primary group; enough for the usual cause, a 0700 home or build dir.
    public func ensureCanExecute(_ path: String) throws {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var prefix = ""
        for component in absolute.split(separator: "/").dropLast() {
            prefix += "/" + component
            try ensure(prefix, allows: 0o1, what: "search directory")
        }
        try ensure(absolute, allows: 0o5, what: "read and execute")
    }

    private func ensure(_ path: String, allows permission: mode_t, what: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw HarnessError.systemCall("stat \(path)", errno: errno)
        }
        let shift: mode_t = info.st_uid == uid ? 6 : info.st_gid == gid ? 3 : 0
        if uid != 0 && (info.st_mode >> shift) & permission != permission {
            let mode = String(info.st_mode & 0o7777, radix: 8)
            throw HarnessError(
                "\(name) (the server's worker user) cannot \(what) \(path) (mode \(mode), owner uid \(info.st_uid)); chmod it or move the program")
        }
    }

    private static func account(named name: String) -> WorkerUser? {
        entry { buffer, size, entry, result in getpwnam_r(name, entry, buffer, size, result) }
    }

    private static func account(uid: uid_t) -> WorkerUser? {
        entry { buffer, size, entry, result in getpwuid_r(uid, entry, buffer, size, result) }
    }

    private static func entry(
        _ lookUp: (UnsafeMutablePointer<CChar>, Int, UnsafeMutablePointer<passwd>, UnsafeMutablePointer<UnsafeMutablePointer<passwd>?>) -> Int32
    ) -> WorkerUser? {
        var buffer = [CChar](repeating: 0, count: 16_384)
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        let status = buffer.withUnsafeMutableBufferPointer { lookUp($0.baseAddress!, $0.count, &entry, &result) }
        guard status == 0, result != nil else {
            return nil
        }
        let gid = entry.pw_gid
        return WorkerUser(
            name: String(cString: entry.pw_name),
            groupName: groupName(of: gid) ?? String(gid),
            uid: entry.pw_uid,
            gid: gid
        )
    }

    private static func groupName(of gid: gid_t) -> String? {
        var buffer = [CChar](repeating: 0, count: 16_384)
        var entry = group()
        var result: UnsafeMutablePointer<group>?
        let status = buffer.withUnsafeMutableBufferPointer { getgrgid_r(gid, &entry, $0.baseAddress!, $0.count, &result) }
        guard status == 0, result != nil else {
            return nil
        }
        return String(cString: entry.gr_name)
    }
}
