// Path templates: `/notes/:id/attachment`, `/files/*path`.

/// A route's path, as segments: literals, `:name` parameters and a final `*name` catch-all.
struct RouteTemplate: Sendable, Hashable, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        /// Matches exactly this decoded text.
        case literal(String)
        /// Matches one non-empty segment, captured under the name.
        case parameter(String)
        /// Matches the rest of the path, zero or more segments, captured under the name.
        case catchAll(String)
    }

    var segments: [Segment]

    /// Parses a template. `/` and `""` are the root; a segment `:name` is a parameter, a last
    /// segment `*name` a catch-all; a trailing `/` is ignored, as in requests.
    ///
    /// Malformed templates are programming errors, found when the routes are built: an empty
    /// segment, a parameter without a name, a name used twice, or a catch-all before the end.
    init(_ text: String) {
        precondition(text.isEmpty || text.hasPrefix("/"), "a route template starts with /: \(text)")
        var pieces = text.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        if pieces.last == "" { pieces.removeLast() }
        segments = pieces.map { piece in
            precondition(!piece.isEmpty, "a route template has an empty segment: \(text)")
            switch piece.first {
            case ":": return .parameter(String(piece.dropFirst()))
            case "*": return .catchAll(String(piece.dropFirst()))
            default: return .literal(String(piece))
            }
        }
        let names = parameterNames
        precondition(!names.contains(""), "a route parameter needs a name: \(text)")
        precondition(Set(names).count == names.count, "a route parameter name is used twice: \(text)")
        precondition(
            segments.dropLast().allSatisfy { if case .catchAll = $0 { false } else { true } },
            "a catch-all can only be a route's last segment: \(text)"
        )
    }

    init(segments: [Segment]) {
        self.segments = segments
    }

    /// The names of the parameters and catch-all, in order.
    var parameterNames: [String] {
        segments.compactMap { segment in
            switch segment {
            case .literal: nil
            case let .parameter(name), let .catchAll(name): name
            }
        }
    }

    /// This template below `prefix`.
    func below(_ prefix: RouteTemplate) -> RouteTemplate {
        RouteTemplate(segments: prefix.segments + segments)
    }

    /// The percent-encoded path with `values` in place of the parameters, or the name of the
    /// first parameter `values` lacks.
    func path(with values: [String: String]) -> Result<String, RoutingError> {
        var path = ""
        for segment in segments {
            switch segment {
            case let .literal(text):
                path += "/" + URLPath.encodeSegment(text)
            case let .parameter(name):
                guard let value = values[name], !value.isEmpty else { return .failure(.missingParameter(name)) }
                path += "/" + URLPath.encodeSegment(value)
            case let .catchAll(name):
                guard let value = values[name] else { return .failure(.missingParameter(name)) }
                if !value.isEmpty { path += "/" + URLPath.encode(value.hasPrefix("/") ? String(value.dropFirst()) : value) }
            }
        }
        return .success(path.isEmpty ? "/" : path)
    }

    /// The template as written.
    var description: String {
        "/"
            + segments.map { segment in
                switch segment {
                case let .literal(text): text
                case let .parameter(name): ":" + name
                case let .catchAll(name): "*" + name
                }
            }.joined(separator: "/")
    }
}

/// A URL that cannot be built.
public enum RoutingError: Error, Hashable, CustomStringConvertible {
    /// No route has this name.
    case unknownRoute(String)
    /// The route needs a value for this parameter.
    case missingParameter(String)
    /// The request was not routed by a ``Router``, so there are no routes to name.
    case notRouted

    /// A sentence saying what is wrong.
    public var description: String {
        switch self {
        case let .unknownRoute(name): "no route is named \(name)"
        case let .missingParameter(name): "the route needs a value for its parameter \(name)"
        case .notRouted: "the request was not routed by a Router"
        }
    }
}
