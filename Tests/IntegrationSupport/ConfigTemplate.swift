// ConfigTemplate.swift — server config text with @PLACEHOLDER@ tokens.
public import Foundation

/// A server configuration written with `@NAME@` tokens (upper-case letters, digits,
/// underscores) for the values known only at run time: `@PORT@`, `@DIR@`, `@USER@`.
///
/// Rendering fails when a token has no value, so a misspelt token shows up as an
/// error naming it rather than as a server that will not start.
public struct ConfigTemplate: Sendable {
    /// The template text.
    public let text: String

    /// Wraps template text.
    public init(_ text: String) {
        self.text = text
    }

    /// The text with every `@NAME@` replaced by `values["NAME"]`. An `@` that does not
    /// start a token (an e-mail address, `@` at the end) is left as it is.
    ///
    /// - Throws: `HarnessError` naming the tokens that have no value.
    public func rendered(with values: [String: String]) throws -> String {
        var output = ""
        var missing: [String] = []
        var rest = Substring(text)
        while let at = rest.firstIndex(of: "@") {
            output += rest[..<at]
            let afterAt = rest.index(after: at)
            let name = rest[afterAt...].prefix { $0.isASCII && ($0.isUppercase || $0.isNumber || $0 == "_") }
            let end = name.endIndex
            guard !name.isEmpty, end < rest.endIndex, rest[end] == "@" else {
                output += "@"
                rest = rest[afterAt...]
                continue
            }
            if let value = values[String(name)] {
                output += value
            } else {
                missing.append("@\(name)@")
                output += "@\(name)@"
            }
            rest = rest[rest.index(after: end)...]
        }
        output += rest
        guard missing.isEmpty else {
            throw HarnessError("config template has no value for \(missing.joined(separator: ", "))")
        }
        return output
    }

    /// Renders the template with `values` and writes it to `file` (mode 0644).
    public func render(with values: [String: String], to file: URL) throws {
        try Data(rendered(with: values).utf8).write(to: file)
    }
}
