// HarnessError.swift — the one error type the harness throws for its own failures.
import Foundation

/// A failure of the integration harness itself rather than of the code under test:
/// a server that would not start, a program missing on CI, a socket that would not
/// open. Its description is the whole message, server logs included, so a failed
/// test shows everything needed to see why.
public struct HarnessError: Error, CustomStringConvertible, Sendable {
    /// The full message, possibly several lines long.
    public let description: String

    /// Creates an error with a complete, self-explanatory message.
    public init(_ description: String) {
        self.description = description
    }

    /// An error for a failed system call, naming what was attempted and `errno`'s text.
    static func systemCall(_ attempt: String, errno code: Int32) -> HarnessError {
        HarnessError("\(attempt) failed: \(String(cString: strerror(code))) (errno \(code))")
    }
}
