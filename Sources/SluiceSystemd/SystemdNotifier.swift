// sd_notify(3) without libsystemd: service state as datagrams to NOTIFY_SOCKET.

import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Tells systemd how the service is doing, when it runs as a `Type=notify` service
/// (Docs/systemd.md): `READY=1` once it serves, `STOPPING=1` when a graceful stop begins,
/// `RELOADING=1` before a reload, and `WATCHDOG=1` pings while `WatchdogSec=` is set.
///
/// Each message is one datagram to the unix socket `NOTIFY_SOCKET` names (a path, or an
/// abstract name after `@`), as sd_notify(3) sends it; without `NOTIFY_SOCKET` nothing is sent
/// and nothing costs anything.
public enum SystemdNotifier {
    /// Sends `state` (such as `READY=1`, lines separated by `\n`); whether it was sent.
    @discardableResult
    public static func notify(_ state: String) -> Bool {
        guard let path = getenv("NOTIFY_SOCKET").map({ String(cString: $0) }), path.utf8.count > 1 else { return false }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        let descriptor = Platform.datagramSocket()
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        let sent = state.utf8CString.withUnsafeBytes { message in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, message.baseAddress, message.count - 1, Platform.noSignal, $0, length)
                }
            }
        }
        return sent >= 0
    }

    /// How often to send `WATCHDOG=1`: half of `WATCHDOG_USEC`, when it is set for this
    /// process (`WATCHDOG_PID` unset or this process's id); `nil` otherwise.
    public static var watchdogInterval: Duration? {
        guard let text = getenv("WATCHDOG_USEC").map({ String(cString: $0) }), let microseconds = Int64(text), microseconds > 0 else { return nil }
        if let pid = getenv("WATCHDOG_PID").map({ String(cString: $0) }), Int32(pid) != getpid() { return nil }
        return .microseconds(microseconds / 2)
    }

    /// Reports the service ready and, when systemd watches it, starts the watchdog pings, on
    /// a timer that lasts as long as the process.
    public static func ready() {
        guard notify("READY=1\nSTATUS=serving") else { return }
        guard let interval = watchdogInterval else { return }
        let (seconds, attoseconds) = interval.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now(), repeating: .nanoseconds(max(1_000_000, nanoseconds)))
        timer.setEventHandler { notify("WATCHDOG=1") }
        timer.resume()
        watchdog = timer
    }

    /// Reports that a graceful stop has begun.
    public static func stopping() {
        notify("STOPPING=1")
    }

    /// Reports that a reload has begun; the reloaded process reports ``ready()`` again.
    public static func reloading() {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        notify("RELOADING=1\nMONOTONIC_USEC=\(Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000)")
    }

    /// The watchdog's timer, kept for as long as the process runs. Written once, by the one
    /// call of ``ready()`` a server makes, and never read.
    nonisolated(unsafe) private static var watchdog: (any DispatchSourceTimer)?
}
