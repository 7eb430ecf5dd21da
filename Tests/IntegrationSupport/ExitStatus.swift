// ExitStatus.swift — how a child process ended.
import Foundation

/// How a child process ended, decoded from `waitpid`'s status word.
public enum ExitStatus: Sendable, Hashable, CustomStringConvertible {
    /// It called `exit` (or returned from `main`) with this code.
    case exited(code: Int32)
    /// A signal ended it, such as SIGTERM (15) or SIGKILL (9).
    case killed(signal: Int32)

    /// Decodes a `waitpid` status word (the WIFEXITED / WTERMSIG macros, which Swift
    /// does not import).
    init(waitStatus status: Int32) {
        let signal = status & 0x7f
        if signal == 0 {
            self = .exited(code: (status >> 8) & 0xff)
        } else {
            self = .killed(signal: signal)
        }
    }

    /// "exited with code 1" or "killed by signal 15 (Terminated)".
    public var description: String {
        switch self {
        case .exited(let code):
            "exited with code \(code)"
        case .killed(let signal):
            "killed by signal \(signal) (\(String(cString: strsignal(signal))))"
        }
    }
}
