// Matching a decoded path against many templates at once, segment by segment.

/// A tree of template segments, one node per distinct prefix, held in arrays.
///
/// A path is matched byte by byte over its UTF-8 without making strings: at each node a
/// segment is tried against the literals first, then the parameter, then the catch-all, and
/// a failure deeper down comes back to try the next (literals win over parameters:
/// `/users/me` before `/users/:id`).
struct RouteTrie: Sendable {
    struct Node: Sendable {
        var literals: [(segment: [UInt8], child: Int)] = []
        var parameter: Int?
        /// The value of a catch-all at this node.
        var catchAll: Int?
        /// The value of a template ending at this node.
        var value: Int?
    }

    /// What a path matched: the value, and the byte ranges of the parameters in order.
    struct Match {
        var value: Int
        var captures: [Range<Int>]
    }

    private(set) var nodes = [Node()]

    /// The value stored for `template`, creating its node; `store` returns the value for a
    /// new node or updates an existing one.
    mutating func value(for template: RouteTemplate, store: (Int?) -> Int) {
        var node = 0
        for segment in template.segments {
            switch segment {
            case let .literal(text):
                let bytes = Array(text.utf8)
                if let existing = nodes[node].literals.first(where: { $0.segment == bytes }) {
                    node = existing.child
                } else {
                    nodes.append(Node())
                    nodes[node].literals.append((bytes, nodes.count - 1))
                    node = nodes.count - 1
                }
            case .parameter:
                if let existing = nodes[node].parameter {
                    node = existing
                } else {
                    nodes.append(Node())
                    nodes[node].parameter = nodes.count - 1
                    node = nodes.count - 1
                }
            case .catchAll:
                nodes[node].catchAll = store(nodes[node].catchAll)
                return
            }
        }
        nodes[node].value = store(nodes[node].value)
    }

    /// The value for a decoded path (`""` and `/` are the root; one trailing `/` is ignored),
    /// or `nil`.
    func match(_ path: UnsafeBufferPointer<UInt8>) -> Match? {
        var end = path.count
        if end > 1, path[end - 1] == UInt8(ascii: "/") { end -= 1 }
        var captures: [Range<Int>] = []
        if end == 0 || (end == 1 && path[0] == UInt8(ascii: "/")) {
            return descend(0, path, from: nil, end: end, &captures)
        }
        guard path[0] == UInt8(ascii: "/") else { return nil }
        return descend(0, path, from: 1, end: end, &captures)
    }

    /// Matches the segments from `start` (`nil` when the path is used up) below `node`.
    private func descend(_ node: Int, _ path: UnsafeBufferPointer<UInt8>, from start: Int?, end: Int, _ captures: inout [Range<Int>]) -> Match? {
        let current = nodes[node]
        guard let start else {
            if let value = current.value { return Match(value: value, captures: captures) }
            if let value = current.catchAll { return Match(value: value, captures: captures + [end..<end]) }
            return nil
        }
        var segmentEnd = start
        while segmentEnd < end, path[segmentEnd] != UInt8(ascii: "/") { segmentEnd += 1 }
        let next = segmentEnd < end ? segmentEnd + 1 : nil
        let length = segmentEnd - start
        if length > 0 {
            for literal in current.literals where literal.segment.count == length {
                let equal = literal.segment.withUnsafeBufferPointer { segment in
                    for offset in 0..<length where segment[offset] != path[start + offset] { return false }
                    return true
                }
                if equal, let match = descend(literal.child, path, from: next, end: end, &captures) { return match }
            }
            if let parameter = current.parameter {
                captures.append(start..<segmentEnd)
                if let match = descend(parameter, path, from: next, end: end, &captures) { return match }
                captures.removeLast()
            }
        }
        if let value = current.catchAll { return Match(value: value, captures: captures + [start..<end]) }
        return nil
    }
}
