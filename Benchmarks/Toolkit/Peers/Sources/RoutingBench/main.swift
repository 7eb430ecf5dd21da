// ns per match among 100 routes, for the toolkit's router, Hummingbird 2's and routing-kit's.
//
// 10 resources of 10 routes each (60 distinct templates: literals, parameters, two levels
// deep), matched against a cycle of 100 request paths, one per route. Each router does what
// it does per request: the toolkit matches the decoded path's bytes and picks the method;
// Hummingbird resolves the path in its trie and looks the method up in a dictionary;
// routing-kit is given the path split into [String], as Vapor splits it per request.

import BenchApps
import HTTPTypes
@_spi(Internal) import Hummingbird
import RoutingKit
import Sluice

@testable import SluiceToolkit

let resources = (0..<10).map { "resource\($0)" }
let routes: [(method: String, template: String)] = resources.flatMap { name in
    [
        ("GET", "/\(name)"), ("POST", "/\(name)"), ("GET", "/\(name)/search/recent"),
        ("GET", "/\(name)/:id"), ("PUT", "/\(name)/:id"), ("DELETE", "/\(name)/:id"),
        ("GET", "/\(name)/:id/children"), ("POST", "/\(name)/:id/children"),
        ("GET", "/\(name)/:id/children/:child"), ("DELETE", "/\(name)/:id/children/:child"),
    ]
}
let requests: [(method: String, path: String)] = routes.map { route in
    (route.method, route.template.replacingOccurrences(":id", "42").replacingOccurrences(":child", "7"))
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: "/", omittingEmptySubsequences: false).map { $0 == target ? replacement : String($0) }.joined(separator: "/")
    }
}

/// The routers take turns, round by round, so that load from elsewhere weighs on all alike;
/// each gets the median of its rounds of `iterations` passes over the requests, in CPU ns per match.
func measure(_ routers: [(name: String, match: (String, String) -> Int)], rounds: Int = 9, iterations: Int = 2000) {
    var checksum = 0
    for router in routers {
        var matched = 0
        for request in requests where router.match(request.method, request.path) > 0 { matched += 1 }
        precondition(matched == requests.count, "\(router.name) matched \(matched) of \(requests.count) requests")
    }
    var timings = Array(repeating: [Double](), count: routers.count)
    for _ in 0..<rounds {
        for (index, router) in routers.enumerated() {
            let start = processCPUNanoseconds()
            for _ in 0..<iterations {
                for request in requests { checksum &+= router.match(request.method, request.path) }
            }
            timings[index].append((processCPUNanoseconds() - start) / Double(iterations * requests.count))
        }
    }
    for (router, times) in zip(routers, timings) {
        print(router.name.padding(16) + format1(times.sorted()[rounds / 2]) + " ns CPU/match" + (checksum == 0 ? "!" : ""))
    }
}

func format1(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}

extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(1, width - count)) }
}

// The toolkit: its trie over the decoded path's bytes, then the method.
var toolkit = RouteTrie()
var endpoints: [SluiceToolkit.Router.Endpoints] = []
for (index, route) in routes.enumerated() {
    toolkit.value(for: RouteTemplate(route.template)) { existing in
        if let existing {
            endpoints[existing].routes.append((Sluice.Request.Method(rawValue: route.method), index))
            return existing
        }
        endpoints.append(SluiceToolkit.Router.Endpoints(routes: [(Sluice.Request.Method(rawValue: route.method), index)]))
        return endpoints.count - 1
    }
}
let toolkitTrie = toolkit
let matchToolkit: (String, String) -> Int = { method, path in
    var path = path
    let found = path.withUTF8 { toolkitTrie.match($0) }
    return (found.flatMap { endpoints[$0.value].route(for: Sluice.Request.Method(rawValue: method)) } ?? -1) + 1
}

// Hummingbird 2: its trie, then its endpoint's method dictionary.
let builder = RouterPathTrieBuilder<[HTTPRequest.Method: Int]>()
var byTemplate: [String: [HTTPRequest.Method: Int]] = [:]
for (index, route) in routes.enumerated() { byTemplate[route.template, default: [:]][HTTPRequest.Method(route.method)!] = index }
for (template, methods) in byTemplate { builder.addEntry(RouterPath(template), value: methods) }
let hummingbird = RouterTrie(base: builder)
let matchHummingbird: (String, String) -> Int = { method, path in
    guard let (methods, parameters) = hummingbird.resolve(path), let index = methods[HTTPRequest.Method(method)!] else { return 0 }
    return index + 1 + (parameters.get("id") == nil ? 0 : 0)
}

// routing-kit: the method as the first component, as Vapor registers routes.
let routingKit = TrieRouter(Int.self)
for (index, route) in routes.enumerated() {
    routingKit.register(index, at: [.constant(route.method)] + route.template.pathComponents)
}
let matchRoutingKit: (String, String) -> Int = { method, path in
    var parameters = RoutingKit.Parameters()
    return (routingKit.route(path: [method] + path.split(separator: "/").map(String.init), parameters: &parameters) ?? -1) + 1
}

measure([("sluice-toolkit", matchToolkit), ("hummingbird", matchHummingbird), ("routing-kit", matchRoutingKit)])
