// What routing tells a handler: the path's parameters, and URLs for named routes.

public import Sluice

/// The values a route's `:name` and `*name` segments matched, decoded.
public struct Parameters: Sendable {
    private let values: [(name: String, value: String)]

    init(_ values: [(String, String)]) {
        self.values = values.map { (name: $0.0, value: $0.1) }
    }

    /// The value of the named parameter, or `nil` when the route has none of that name.
    public subscript(name: String) -> String? {
        values.first { $0.name == name }?.value
    }

    /// The named parameter converted to `type`, such as `Int`.
    ///
    /// - Throws: ``HTTPError`` 404 when the value does not convert (`/notes/abc` for an `Int`
    ///   id: no such resource) or the route has no such parameter.
    public func require<Value: LosslessStringConvertible>(_ name: String, as type: Value.Type = Value.self) throws -> Value {
        guard let text = self[name], let value = Value(text) else {
            throw HTTPError(.notFound, detail: "no resource has the \(name) \(JSONText.quoted(self[name] ?? ""))")
        }
        return value
    }
}

/// The routes a router knows by name: one object per router, shared by its requests.
final class RouteTable: Sendable {
    let routes: [Router.Route]
    let names: [String: Int]

    init(routes: [Router.Route], names: [String: Int]) {
        self.routes = routes
        self.names = names
    }

    /// The path of the route named `name` with `values`, below `base`.
    func url(for name: String, _ values: [String: String], base: String) throws -> String {
        guard let index = names[name] else { throw RoutingError.unknownRoute(name) }
        let path = try routes[index].template.path(with: values).get()
        return URLPath.encode(base) + path
    }
}

/// What the router that handled a request stored for its handler. Three words, so that the
/// request's storage holds it without a box of its own.
struct RouteState: Sendable {
    var parameters: Parameters
    var table: RouteTable
    /// How many UTF-8 bytes of the handler's ``Request/scriptName`` are the router's own mount
    /// point (a blueprint's handler sees its prefix appended).
    var baseLength: Int
}

extension RouteState: StorageKey {
    typealias Value = RouteState
}

extension Request {
    /// The parameters of the route that matched, empty outside a ``Router``.
    public var parameters: Parameters {
        context[RouteState.self]?.parameters ?? Parameters([])
    }

    /// The URL path of the route named `name`, with `values` for its parameters, below where
    /// the router is mounted (its ``scriptName``), percent-encoded (Flask's `url_for`).
    ///
    /// ```swift
    /// try request.url(for: "note", ["id": note.id])   // "/api/notes/7" when mounted at /api
    /// ```
    ///
    /// - Throws: ``RoutingError`` for an unknown name, a missing value, or a request no
    ///   router handled.
    public func url(for name: String, _ values: [String: any CustomStringConvertible & Sendable] = [:]) throws -> String {
        guard let state = context[RouteState.self] else { throw RoutingError.notRouted }
        let base = String(decoding: scriptName.utf8.prefix(state.baseLength), as: UTF8.self)
        return try state.table.url(for: name, values.mapValues { $0.description }, base: base)
    }
}
