// GNUExtensions.swift — glibc functions that Swift's Glibc module does not import.
//
// They are GNU extensions, declared only under _GNU_SOURCE, which the module is not
// built with; the linker still has them (glibc 2.29+ for addchdir, 2.34+ for
// addclosefrom), so they are looked up by name at run time, as any C program using
// dlsym would. Each returns nil where the C library lacks the function.
import Foundation

enum GNUExtensions {
    /// `POSIX_SPAWN_SETSID` from <spawn.h>: the child starts a new session and process
    /// group (glibc 2.26+; Darwin has its own value).
    static var spawnSetSessionFlag: Int32 {
        #if os(Linux)
        0x80
        #else
        0x400
        #endif
    }

    private typealias AddChangeDirectory =
        @convention(c) (
            UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>
        ) -> Int32
    private typealias AddCloseFrom =
        @convention(c) (
            UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32
        ) -> Int32
    private typealias PipeWithFlags = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32

    /// `posix_spawn_file_actions_addchdir_np`: the child changes to `path` before exec.
    static func addChangeDirectory(
        _ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: String
    ) -> Int32? {
        guard let symbol = lookUp("posix_spawn_file_actions_addchdir_np") else {
            return nil
        }
        return unsafeBitCast(symbol, to: AddChangeDirectory.self)(actions, path)
    }

    /// `posix_spawn_file_actions_addclosefrom_np`: the child closes every descriptor
    /// from `lowest` up, so it inherits nothing it was not explicitly given.
    static func addCloseFrom(
        _ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ lowest: Int32
    ) -> Int32? {
        guard let symbol = lookUp("posix_spawn_file_actions_addclosefrom_np") else {
            return nil
        }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)(actions, lowest)
    }

    /// A pipe whose both ends are close-on-exec from the start (`pipe2(O_CLOEXEC)`);
    /// falls back to `pipe` + `fcntl` where `pipe2` is missing.
    static func closeOnExecPipe() throws -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        let result: Int32
        if let symbol = lookUp("pipe2") {
            result = unsafeBitCast(symbol, to: PipeWithFlags.self)(&ends, O_CLOEXEC)
        } else {
            result = pipe(&ends)
            if result == 0 {
                _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
                _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
            }
        }
        guard result == 0 else {
            throw HarnessError.systemCall("pipe", errno: errno)
        }
        return (ends[0], ends[1])
    }

    private static func lookUp(_ name: String) -> UnsafeMutableRawPointer? {
        // dlopen(NULL) is the running program and every library it has loaded.
        guard let program = dlopen(nil, RTLD_NOW) else {
            return nil
        }
        return dlsym(program, name)
    }
}
