// Monotonic instants as calendar time, for log lines.

import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A moment in UTC, to the microsecond, as log formats write it.
struct WallClockTime: Equatable {
    /// Seconds since 1970-01-01 00:00:00 UTC.
    var seconds: Int
    /// Microseconds within the second.
    var microseconds: Int

    /// The calendar time of `instant`, from how long ago it was on the monotonic clock.
    init(_ instant: ContinuousClock.Instant) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let elapsed = instant.duration(to: .now).components
        let elapsedMicroseconds = elapsed.seconds * 1_000_000 + elapsed.attoseconds / 1_000_000_000_000
        let nowMicroseconds = Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec / 1000)
        let micros = nowMicroseconds - elapsedMicroseconds
        self.init(seconds: Int(micros / 1_000_000), microseconds: Int(micros % 1_000_000))
    }

    /// A time from its parts.
    init(seconds: Int, microseconds: Int) {
        self.seconds = seconds
        self.microseconds = microseconds
    }

    /// `10/Oct/2000:13:55:36 +0000`: the Common Log Format's time, in UTC. Made once a second:
    /// the access log writes it on every line.
    var commonLogFormat: String {
        if let text = Self.lastCommonLogFormat.withLock({ $0.seconds == seconds ? $0.text : nil }) { return text }
        let text = formatted("%d/%b/%Y:%H:%M:%S +0000")
        Self.lastCommonLogFormat.withLock { $0 = (seconds, text) }
        return text
    }

    /// The last ``commonLogFormat`` made, and its second.
    private static let lastCommonLogFormat = Mutex<(seconds: Int, text: String)>((-1, ""))

    /// `2000-10-10T13:55:36.123456Z`: ISO 8601 in UTC with microseconds.
    var iso8601: String {
        let fraction = String(microseconds)
        return formatted("%Y-%m-%dT%H:%M:%S") + "." + String(repeating: "0", count: 6 - fraction.count) + fraction + "Z"
    }

    /// The time through `strftime`, whose month names are the C locale's: English.
    private func formatted(_ format: String) -> String {
        var parts = tm()
        var time = time_t(seconds)
        gmtime_r(&time, &parts)
        var text = [CChar](repeating: 0, count: 64)
        let length = strftime(&text, text.count, format, &parts)
        return String(decoding: text[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension Duration {
    /// Seconds with six decimals, such as `0.001250`.
    var secondsText: String {
        let (seconds, attoseconds) = components
        let micros = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        let fraction = String(micros % 1_000_000)
        return "\(micros / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}
