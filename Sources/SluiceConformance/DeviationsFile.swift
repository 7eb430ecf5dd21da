// The deviations file: what a server is known to do differently, one case a line.

/// Reads deviations files: lines `CASE-ID: explanation`; `#` starts a comment line; blank
/// lines are skipped.
public enum DeviationsFile {
    /// The case ID → explanation table of `text`; throws ``DeviationsFileError`` for a line
    /// without `:` or with an empty ID or explanation.
    public static func read(_ text: String) throws -> [String: String] {
        var deviations: [String: String] = [:]
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingLinearWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let colon = trimmed.firstIndex(of: ":") else { throw DeviationsFileError(line: index + 1, text: String(line)) }
            let id = trimmed[..<colon].trimmingLinearWhitespace()
            let explanation = trimmed[trimmed.index(after: colon)...].trimmingLinearWhitespace()
            guard !id.isEmpty, !explanation.isEmpty else { throw DeviationsFileError(line: index + 1, text: String(line)) }
            deviations[id] = explanation
        }
        return deviations
    }
}

/// A line of a deviations file that is not `CASE-ID: explanation`.
public struct DeviationsFileError: Error, CustomStringConvertible {
    /// The line number, from 1.
    public let line: Int
    /// The line.
    public let text: String

    /// Names the line.
    public var description: String { "deviations line \(line) is not `CASE-ID: explanation`: \(text)" }
}
