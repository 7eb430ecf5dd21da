// Fuzz harness: matching decoded paths against a trie of templates.
// Invariants: a match's captures lie inside the path, in order, hold no `/` (but the
// catch-all), and the template's literals equal the path's segments.
// Module under test: SluiceToolkit

@testable import SluiceToolkit

private let templates = [
    "/", "/users", "/users/me", "/users/:id", "/users/:id/notes/:note", "/files/*path", "/a/:x/c", "/a/b/:y", "/:any/z",
].map(RouteTemplate.init)

private let trie: RouteTrie = {
    var trie = RouteTrie()
    for (index, template) in templates.enumerated() { trie.value(for: template) { _ in index } }
    return trie
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRouteMatching(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let path = UnsafeBufferPointer(start: data, count: size)
    guard let match = trie.match(path) else { return 0 }
    let template = templates[match.value]
    precondition(match.captures.count == template.parameterNames.count, "a parameter was not captured")
    for (capture, segment) in zip(match.captures, template.segments.filter { if case .literal = $0 { false } else { true } }) {
        precondition(capture.lowerBound >= 0 && capture.upperBound <= size && capture.lowerBound <= capture.upperBound, "a capture is outside the path")
        if case .parameter = segment {
            precondition(!capture.isEmpty && !path[capture].contains(UInt8(ascii: "/")), "a parameter spans segments")
        }
    }
    let literals = template.segments.compactMap { if case let .literal(text) = $0 { text } else { nil } }
    // Split as bytes, as the router does: split as Characters, a `/` followed by a combining
    // mark (U+05C7) is one grapheme with it, and no boundary.
    let segments = path.split(separator: UInt8(ascii: "/")).map(Array.init)
    precondition(literals.allSatisfy { segments.contains(Array($0.utf8)) }, "a literal of the template is not in the path")
    return 0
}
