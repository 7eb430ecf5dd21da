// Entity tags and the If-Match / If-None-Match lists that hold them (RFC 9110 section 8.8.3).

/// An entity tag: an opaque string, strong or weak.
struct EntityTag: Sendable, Hashable {
    var opaque: String
    var isWeak: Bool

    /// The tag as a field value: `"…"` or `W/"…"`.
    var fieldValue: String { (isWeak ? "W/" : "") + "\"\(opaque)\"" }

    /// Whether two tags match strongly: both strong and equal.
    func matchesStrongly(_ other: EntityTag) -> Bool {
        !isWeak && !other.isWeak && opaque == other.opaque
    }

    /// Whether two tags match weakly: equal, ignoring weakness.
    func matchesWeakly(_ other: EntityTag) -> Bool {
        opaque == other.opaque
    }

    /// A condition list: `*`, or tags separated by commas.
    enum Condition {
        case any
        case tags([EntityTag])

        /// Parses `If-Match` or `If-None-Match`; a malformed list matches nothing, so that a
        /// garbled `If-Match` fails (412) and a garbled `If-None-Match` is not a 304.
        init(parsing value: String) {
            let trimmed = value.trimmingASCIIWhitespace()
            if trimmed == "*" {
                self = .any
                return
            }
            var tags: [EntityTag] = []
            var rest = Substring(trimmed)
            while !rest.isEmpty {
                rest = rest.drop { $0 == " " || $0 == "\t" || $0 == "," }
                if rest.isEmpty { break }
                let weak = rest.hasPrefix("W/")
                if weak { rest = rest.dropFirst(2) }
                guard rest.first == "\"", let close = rest.dropFirst().firstIndex(of: "\"") else { break }
                tags.append(EntityTag(opaque: String(rest[rest.index(after: rest.startIndex)..<close]), isWeak: weak))
                rest = rest[rest.index(after: close)...]
            }
            self = .tags(tags)
        }

        /// Whether `tag` is in the list, compared strongly (If-Match) or weakly (If-None-Match).
        func contains(_ tag: EntityTag, strongly: Bool) -> Bool {
            switch self {
            case .any: true
            case let .tags(tags): tags.contains { strongly ? $0.matchesStrongly(tag) : $0.matchesWeakly(tag) }
            }
        }
    }
}
