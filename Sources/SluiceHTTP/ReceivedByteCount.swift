// How many bytes the kernel has received on a TCP connection, read or not.

import NIOCore

/// The start of Linux's `struct tcp_info`, as far as `tcpi_bytes_received` (Linux 4.1 and
/// later): Glibc's declaration, which NIO's `getTCPInfo()` returns, ends before it. Eight bytes
/// of flags and 24 `UInt32`s come first (104 bytes), then `tcpi_pacing_rate`,
/// `tcpi_max_pacing_rate` and `tcpi_bytes_acked`.
private struct LinuxTCPInfo: Sendable {
    var fieldsBefore:
        (
            UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
            UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64
        )
    var bytesReceived: UInt64
}

enum ReceivedByteCount {
    /// How many payload bytes `channel`'s socket has received in all, the unread ones included;
    /// `nil` where that cannot be told (not Linux, not TCP). Call it on the channel's event
    /// loop: the answer is immediate there.
    static func of(_ channel: any Channel) -> UInt64? {
        #if os(Linux)
        guard let provider = channel as? any SocketOptionProvider, channel.localAddress?.port != nil else { return nil }
        var count: UInt64?
        let info: EventLoopFuture<LinuxTCPInfo> = provider.unsafeGetSocketOption(level: .tcp, name: .tcp_info)
        info.assumeIsolated().whenSuccess { count = $0.bytesReceived > 0 ? $0.bytesReceived : nil }
        return count
        #else
        return nil
        #endif
    }
}
