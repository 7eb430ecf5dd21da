// An OpenAPI path template such as /todos/{id}, and matching a request path against it.

#if OpenAPI
import Sluice

/// A path from an OpenAPI document, split into literal segments and `{parameter}` segments.
struct PathTemplate: Hashable, Sendable {
    /// One segment of a template.
    enum Segment: Hashable, Sendable {
        /// Text that a request's segment must equal once percent-decoded.
        case literal(String)
        /// `{name}`: any non-empty segment, passed to the handler still percent-encoded.
        case parameter(String)
    }

    /// The template as registered.
    let text: String
    /// Its segments, after the leading `/`.
    let segments: [Segment]

    /// Parses a template; every `{name}` must be a whole segment.
    init(_ text: String) throws(SluiceTransportError) {
        guard text.hasPrefix("/") else { throw .invalidPath(text) }
        self.text = text
        segments = try text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { text throws(SluiceTransportError) in
            let isParameter = text.hasPrefix("{") && text.hasSuffix("}") && text.count > 2
            let name = isParameter ? text.dropFirst().dropLast() : text
            guard !name.contains("{"), !name.contains("}") else { throw .invalidPath(String(text)) }
            return isParameter ? .parameter(String(name)) : .literal(String(name))
        }
    }

    /// The path parameters, still percent-encoded, when `path` (segments after the leading `/`,
    /// percent-encoded) matches this template; otherwise `nil`.
    func parameters(matching path: [Substring]) -> [String: Substring]? {
        guard path.count == segments.count else { return nil }
        var parameters: [String: Substring] = [:]
        for (segment, text) in zip(segments, path) {
            switch segment {
            case let .literal(literal):
                guard percentDecoded(text) == literal else { return nil }
            case let .parameter(name):
                guard !text.isEmpty else { return nil }
                parameters[name] = text
            }
        }
        return parameters
    }

    /// Whether this template is to be tried before `other`: at the first segment where they
    /// differ, a literal beats a parameter, as OpenAPI asks (`/todos/mine` before `/todos/{id}`).
    func isMoreSpecific(than other: PathTemplate) -> Bool {
        for (mine, theirs) in zip(segments, other.segments) {
            switch (mine, theirs) {
            case (.literal, .parameter): return true
            case (.parameter, .literal): return false
            default: continue
            }
        }
        return false
    }
}
#endif
