// CGI meta-variables (RFC 3875 section 4.1), as CGI and FastCGI servers pass them.

/// The meta-variables of one request, in the order the server passed them, repeats kept.
///
/// CGI programs get them as their environment, FastCGI responders as `FCGI_PARAMS`; both
/// adapters build a ``Request`` from them with ``Request/init(metaVariables:body:errorLog:capabilities:pathSplit:)``.
/// An empty value counts as absent for every optional variable (Spec CGI-2).
public struct MetaVariables: Sendable {
    /// The variables as passed: names and values, in order, repeats kept.
    public var pairs: [(name: String, value: String)] { storage }

    /// The pairs; inlinable initialisers fill it without a generic call per variable.
    @usableFromInline var storage: [(name: String, value: String)]

    /// Creates the set from name–value pairs.
    @inlinable
    public init(_ pairs: some Sequence<(String, String)>) {
        var storage: [(name: String, value: String)] = []
        storage.reserveCapacity(pairs.underestimatedCount)
        for (name, value) in pairs {
            storage.append((name: name, value: value))
        }
        self.storage = storage
    }

    /// Creates the set from `NAME=value` strings, as in a process environment.
    @inlinable
    public init(environment: some Sequence<String>) {
        var storage: [(name: String, value: String)] = []
        storage.reserveCapacity(environment.underestimatedCount)
        for entry in environment {
            guard let equals = entry.utf8.firstIndex(of: UInt8(ascii: "=")) else { continue }
            storage.append((name: String(entry[..<equals]), value: String(entry[entry.utf8.index(after: equals)...])))
        }
        self.storage = storage
    }

    /// The last value passed for a name, or `nil` when it is absent or empty (Spec CGI-2).
    public subscript(name: String) -> String? {
        guard let value = pairs.last(where: { $0.name == name })?.value, !value.isEmpty else { return nil }
        return value
    }

    /// Whether the name was passed, even with an empty value.
    public func contains(_ name: String) -> Bool {
        pairs.contains { $0.name == name }
    }

    /// The request body's length from `CONTENT_LENGTH`: `nil` when absent or empty.
    ///
    /// - Throws: ``MetaVariableError/invalid(name:value:)`` unless it is a decimal number (Spec CGI-5).
    public func contentLength() throws(MetaVariableError) -> Int? {
        try MetaVariables.contentLength(parsing: self["CONTENT_LENGTH"])
    }

    /// A `CONTENT_LENGTH` value as a length: `nil` for `nil`, a number for decimal digits.
    static func contentLength(parsing text: String?) throws(MetaVariableError) -> Int? {
        guard let text else { return nil }
        guard FieldGrammar.isDigits(text), let length = Int(text) else {
            throw .invalid(name: "CONTENT_LENGTH", value: text)
        }
        return length
    }
}

/// A meta-variable a request cannot be built without is missing or malformed.
public enum MetaVariableError: Error, Hashable, CustomStringConvertible {
    /// A required variable is absent: the server is misconfigured (the adapter answers 500).
    case missing(name: String)
    /// A variable holds a value its grammar forbids (the adapter answers 400).
    case invalid(name: String, value: String)

    /// A sentence naming the variable.
    public var description: String {
        switch self {
        case let .missing(name): "the server passed no \(name)"
        case let .invalid(name, value): "\(name) has an invalid value: \"\(value)\""
        }
    }
}

/// How an adapter decides which part of the path is ``Request/scriptName`` (Spec CGI-3).
public enum PathSplit: Sendable, Hashable {
    /// Trust `SCRIPT_NAME`, and take ``Request/pathInfo`` from the request-target below it when
    /// the target starts with it; otherwise use `PATH_INFO` as passed. CGI's default.
    case fromVariables
    /// The application is mounted at this prefix: ``Request/scriptName`` is the prefix and
    /// ``Request/pathInfo`` the rest of the decoded request-target, whatever `SCRIPT_NAME` and
    /// `PATH_INFO` say. FastCGI's default, with the prefix configured (`""` for the root).
    case mountedAt(String)
}
