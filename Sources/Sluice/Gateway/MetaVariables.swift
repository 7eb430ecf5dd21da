// CGI meta-variables (RFC 3875 section 4.1), as CGI and FastCGI servers pass them.

/// The meta-variables of one request, in the order the server passed them, repeats kept.
///
/// CGI programs get them as their environment, FastCGI responders as `FCGI_PARAMS`; both
/// adapters build a ``Request`` from them with ``Request/init(metaVariables:body:errorLog:capabilities:pathSplit:)``.
/// An empty value counts as absent for every optional variable (Spec CGI-2).
public struct MetaVariables: Sendable {
    /// The variables as passed: names and values, in order, repeats kept.
    public private(set) var pairs: [(name: String, value: String)]

    /// Creates the set from name–value pairs.
    public init(_ pairs: some Sequence<(String, String)>) {
        self.pairs = pairs.map { (name: $0.0, value: $0.1) }
    }

    /// Creates the set from `NAME=value` strings, as in a process environment.
    public init(environment: some Sequence<String>) {
        self.init(environment.compactMap { entry -> (String, String)? in
            guard let equals = entry.firstIndex(of: "=") else { return nil }
            return (String(entry[..<equals]), String(entry[entry.index(after: equals)...]))
        })
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
        guard let text = self["CONTENT_LENGTH"] else { return nil }
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
