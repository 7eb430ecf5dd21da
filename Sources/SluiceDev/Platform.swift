// The C library calls sluice-dev makes that Linux and Darwin spell differently, in one place.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What differs between the platforms' C libraries, for the dev server.
enum Platform {
    /// A TCP socket of `family`, closed on exec.
    static func streamSocket(family: Int32) -> Int32 {
        #if os(Linux)
        return socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let descriptor = socket(family, SOCK_STREAM, 0)
        if descriptor >= 0 { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        return descriptor
        #endif
    }

    /// send(2)'s flag that makes a write to a closed connection fail instead of raising
    /// SIGPIPE; Darwin has none (the socket option SO_NOSIGPIPE instead).
    static let noSignal: Int32 = {
        #if os(Linux)
        Int32(MSG_NOSIGNAL)
        #else
        0
        #endif
    }()

    /// A file's modification time: seconds, then nanoseconds.
    static func modificationTime(of info: stat) -> (seconds: Int, nanoseconds: Int) {
        #if canImport(Darwin)
        (info.st_mtimespec.tv_sec, info.st_mtimespec.tv_nsec)
        #else
        (info.st_mtim.tv_sec, info.st_mtim.tv_nsec)
        #endif
    }

    /// Whether one of `signals`, which the process blocks, is pending; takes it if so.
    static func takePendingSignal(of signals: sigset_t) -> Bool {
        var signals = signals
        #if os(Linux)
        var immediately = timespec(tv_sec: 0, tv_nsec: 0)
        return sigtimedwait(&signals, nil, &immediately) > 0
        #else
        // No sigtimedwait: sigwait returns at once for a signal already pending.
        var pending = sigset_t()
        sigpending(&pending)
        guard [SIGINT, SIGTERM].contains(where: { sigismember(&pending, $0) == 1 && sigismember(&signals, $0) == 1 }) else { return false }
        var received: Int32 = 0
        return sigwait(&signals, &received) == 0
        #endif
    }

    /// posix_spawn's file actions and attributes before their init calls: a structure on
    /// Linux, a pointer on Darwin.
    static func emptySpawnFileActions() -> posix_spawn_file_actions_t {
        #if canImport(Darwin)
        nil
        #else
        posix_spawn_file_actions_t()
        #endif
    }

    static func emptySpawnAttributes() -> posix_spawnattr_t {
        #if canImport(Darwin)
        nil
        #else
        posix_spawnattr_t()
        #endif
    }
}

/// write(2), for code inside a type that has a `write` of its own.
func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

/// send(2), for code inside a type that has a `send` of its own.
func systemSend(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int, _ flags: Int32) -> Int {
    send(descriptor, bytes, count, flags)
}

/// listen(2), for code that names a variable `listen`.
func systemListen(_ descriptor: Int32, _ backlog: Int32) -> Int32 {
    listen(descriptor, backlog)
}
