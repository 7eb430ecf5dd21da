// Matching a decoded path against many templates at once, segment by segment.

/// A tree of template segments, one node per distinct prefix.
///
/// Templates are added to a tree of nodes; after each addition the tree is also laid out flat
/// — nodes, edges and the literal segments' bytes in three arrays of plain values — and that
/// layout is what a path is matched against: byte by byte over its UTF-8, with no strings made,
/// nothing retained and nothing allocated but the captures. At each node a segment is tried
/// against the literals first, then the parameter, then the catch-all, and a failure deeper
/// down comes back to try the next (literals win over parameters: `/users/me` before
/// `/users/:id`).
struct RouteTrie: Sendable {
    /// What a path matched: the value, and the byte ranges of the parameters in order.
    struct Match {
        var value: Int
        var captures: [Range<Int>]
    }

    /// A node as templates are added.
    private struct Node: Sendable {
        var literals: [(segment: [UInt8], child: Int)] = []
        var parameter: Int?
        var catchAll: Int?
        var value: Int?
    }

    /// A node laid out for matching; -1 for none.
    private struct FlatNode: Sendable {
        var firstEdge: Int32
        var edgeCount: Int32
        var parameter: Int32
        var catchAll: Int32
        var value: Int32
    }

    /// A literal edge: its segment's bytes in ``bytes``, and the node it leads to.
    private struct Edge: Sendable {
        var start: Int32
        var length: Int32
        var child: Int32
    }

    private var tree = [Node()]
    private var nodes: [FlatNode] = []
    private var edges: [Edge] = []
    private var bytes: [UInt8] = []

    init() {
        layOut()
    }

    /// The value stored for `template`, creating its node; `store` returns the value for a
    /// new node or updates an existing one.
    mutating func value(for template: RouteTemplate, store: (Int?) -> Int) {
        defer { layOut() }
        var node = 0
        for segment in template.segments {
            switch segment {
            case let .literal(text):
                let bytes = Array(text.utf8)
                if let existing = tree[node].literals.first(where: { $0.segment == bytes }) {
                    node = existing.child
                } else {
                    tree.append(Node())
                    tree[node].literals.append((bytes, tree.count - 1))
                    node = tree.count - 1
                }
            case .parameter:
                if let existing = tree[node].parameter {
                    node = existing
                } else {
                    tree.append(Node())
                    tree[node].parameter = tree.count - 1
                    node = tree.count - 1
                }
            case .catchAll:
                tree[node].catchAll = store(tree[node].catchAll)
                return
            }
        }
        tree[node].value = store(tree[node].value)
    }

    /// Lays the tree out flat, each node's edges together.
    private mutating func layOut() {
        nodes = []
        edges = []
        bytes = []
        for node in tree {
            nodes.append(
                FlatNode(
                    firstEdge: Int32(edges.count), edgeCount: Int32(node.literals.count),
                    parameter: Int32(node.parameter ?? -1), catchAll: Int32(node.catchAll ?? -1), value: Int32(node.value ?? -1)
                ))
            for literal in node.literals {
                edges.append(Edge(start: Int32(bytes.count), length: Int32(literal.segment.count), child: Int32(literal.child)))
                bytes += literal.segment
            }
        }
    }

    /// The value for a decoded path (`""` and `/` are the root; one trailing `/` is ignored),
    /// or `nil`.
    func match(_ path: UnsafeBufferPointer<UInt8>) -> Match? {
        var end = path.count
        if end > 1, path[end - 1] == UInt8(ascii: "/") { end -= 1 }
        let start: Int?
        if end == 0 || (end == 1 && path[0] == UInt8(ascii: "/")) {
            start = nil
        } else {
            guard path[0] == UInt8(ascii: "/") else { return nil }
            start = 1
        }
        return nodes.withUnsafeBufferPointer { nodes in
            edges.withUnsafeBufferPointer { edges in
                bytes.withUnsafeBufferPointer { bytes in
                    var matcher = Matcher(nodes: nodes, edges: edges, bytes: bytes, path: path, end: end)
                    return matcher.descend(0, from: start)
                }
            }
        }
    }

    /// One match in progress, over the layout and the path.
    private struct Matcher {
        let nodes: UnsafeBufferPointer<FlatNode>
        let edges: UnsafeBufferPointer<Edge>
        let bytes: UnsafeBufferPointer<UInt8>
        let path: UnsafeBufferPointer<UInt8>
        let end: Int
        var captures: [Range<Int>] = []

        /// Matches the segments from `start` (`nil` when the path is used up) below `node`.
        mutating func descend(_ node: Int, from start: Int?) -> Match? {
            let current = nodes[node]
            guard let start else {
                if current.value >= 0 { return Match(value: Int(current.value), captures: captures) }
                if current.catchAll >= 0 { return Match(value: Int(current.catchAll), captures: captures + [end..<end]) }
                return nil
            }
            var segmentEnd = start
            while segmentEnd < end, path[segmentEnd] != UInt8(ascii: "/") { segmentEnd += 1 }
            let next = segmentEnd < end ? segmentEnd + 1 : nil
            let length = segmentEnd - start
            if length > 0 {
                for edgeIndex in Int(current.firstEdge)..<Int(current.firstEdge + current.edgeCount) {
                    let edge = edges[edgeIndex]
                    guard Int(edge.length) == length, equal(Int(edge.start), start, length) else { continue }
                    if let match = descend(Int(edge.child), from: next) { return match }
                }
                if current.parameter >= 0 {
                    captures.append(start..<segmentEnd)
                    if let match = descend(Int(current.parameter), from: next) { return match }
                    captures.removeLast()
                }
            }
            if current.catchAll >= 0 { return Match(value: Int(current.catchAll), captures: captures + [start..<end]) }
            return nil
        }

        /// Whether the literal bytes at `literal` equal the path's at `start`, for `length` bytes.
        private func equal(_ literal: Int, _ start: Int, _ length: Int) -> Bool {
            for offset in 0..<length where bytes[literal + offset] != path[start + offset] { return false }
            return true
        }
    }
}
