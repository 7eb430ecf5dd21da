// Routes by method and path template to handlers: 404, 405 with Allow, HEAD by GET, blueprints.

public import Sluice

/// An application that sends each request to the handler of the route its method and path
/// match (Flask's app and blueprints, Hummingbird's router).
///
/// ```swift
/// var notes = Router()
/// notes.get("/") { request in try .json(allNotes()) }
/// notes.get("/:id", name: "note") { request in
///     let id = try request.parameters.require("id", as: Int.self)   // 404 unless an Int
///     ...
/// }
/// var app = Router()
/// app.mount("/notes", notes)                       // a blueprint
/// app.mount("/static", StaticFiles(root: "public")) // any application
/// ```
///
/// - Paths are matched on ``Request/pathInfo``, decoded; `:name` matches one segment, a last
///   `*name` the rest. Literal segments win over parameters. A trailing `/` is ignored.
/// - A path no route matches is 404; a path that matches without the method is 405 with
///   `Allow`. HEAD is answered by the GET handler when there is no HEAD route (the server
///   drops the body).
/// - A blueprint (a router mounted with ``mount(_:_:)-(_,Router)``) keeps its own paths: its
///   handlers see the prefix moved to ``Request/scriptName``, as ``Mount`` would, and build
///   URLs under it. A router also composes with `Mount` itself.
/// - Errors thrown by hooks and handlers become responses through ``errorHandlers``
///   (problem+json by default); a blueprint's own handlers are asked first.
public struct Router: Application {
    /// Answers a routed request.
    public typealias Handler = @Sendable (Request) async throws -> Response
    /// Runs before the handler of every route of a router; throwing skips the handler.
    public typealias Hook = @Sendable (Request) async throws -> Void

    /// A route: where it was declared and what answers it. A class, so that a request
    /// retains it once rather than each of its parts.
    final class Route: Sendable {
        let template: RouteTemplate
        /// The names of the template's parameters, in order.
        let parameterNames: [String]
        let handler: Handler
        /// How many leading segments belong to the blueprint's mount point.
        let mountDepth: Int
        /// The hooks of the blueprints it was declared in, outermost first.
        let hooks: [Hook]
        /// The error handlers of the blueprints it was declared in, innermost first.
        let errorHandlers: [ErrorHandlers]

        init(template: RouteTemplate, handler: @escaping Handler, mountDepth: Int, hooks: [Hook], errorHandlers: [ErrorHandlers]) {
            self.template = template
            parameterNames = template.parameterNames
            self.handler = handler
            self.mountDepth = mountDepth
            self.hooks = hooks
            self.errorHandlers = errorHandlers
        }

        /// This route in a blueprint mounted at `prefix` with `hooks` and `errorHandlers`.
        func mounted(at prefix: RouteTemplate, hooks outer: [Hook], errorHandlers outerHandlers: ErrorHandlers) -> Route {
            Route(
                template: template.below(prefix), handler: handler, mountDepth: mountDepth + prefix.segments.count,
                hooks: outer + hooks, errorHandlers: errorHandlers + [outerHandlers]
            )
        }
    }

    /// The handlers of the routes that share one template, by method.
    struct Endpoints: Sendable {
        var routes: [(method: Request.Method?, route: Int)] = []

        /// The route for `method`: its own, else GET's for HEAD, else one for any method.
        func route(for method: Request.Method) -> Int? {
            var get: Int?
            var any: Int?
            for (routeMethod, route) in routes {
                guard let routeMethod else {
                    any = route
                    continue
                }
                if routeMethod == method { return route }
                if routeMethod == .get { get = route }
            }
            return (method == .head ? get : nil) ?? any
        }

        /// The methods offered, for `Allow`: HEAD with GET, alphabetical.
        var allowed: String {
            var methods = Set(routes.compactMap(\.method?.rawValue))
            if methods.contains("GET") { methods.insert("HEAD") }
            return methods.sorted().joined(separator: ", ")
        }
    }

    private var trie = RouteTrie()
    private var endpoints: [Endpoints] = []
    private var routes: [Route] = []
    private var names: [String: Int] = [:]
    /// ``routes`` and ``names`` for reverse routing, made anew as routes are added.
    private var table = RouteTable(routes: [], names: [:])
    private var hooks: [Hook] = []
    private var applications: [any Application] = []
    /// How errors become responses; add handlers with ``ErrorHandlers/handle(_:with:)-(Response.Status,_)``.
    public var errorHandlers = ErrorHandlers()

    /// Creates a router with no routes: every request is a 404.
    public init() {}

    /// Adds a route: `method` and `template` to `handler`, named `name` for ``Request/url(for:_:)``.
    ///
    /// Two routes with one method and template, or two with one name, are a programming error.
    public mutating func add(_ method: Request.Method, _ template: String, name: String? = nil, _ handler: @escaping Handler) {
        add(Route(template: RouteTemplate(template), handler: handler, mountDepth: 0, hooks: [], errorHandlers: []), method: method, name: name)
    }

    /// Adds a GET route (which answers HEAD too).
    public mutating func get(_ template: String, name: String? = nil, _ handler: @escaping Handler) {
        add(.get, template, name: name, handler)
    }

    /// Adds a POST route.
    public mutating func post(_ template: String, name: String? = nil, _ handler: @escaping Handler) {
        add(.post, template, name: name, handler)
    }

    /// Adds a PUT route.
    public mutating func put(_ template: String, name: String? = nil, _ handler: @escaping Handler) {
        add(.put, template, name: name, handler)
    }

    /// Adds a PATCH route.
    public mutating func patch(_ template: String, name: String? = nil, _ handler: @escaping Handler) {
        add(.patch, template, name: name, handler)
    }

    /// Adds a DELETE route.
    public mutating func delete(_ template: String, name: String? = nil, _ handler: @escaping Handler) {
        add(.delete, template, name: name, handler)
    }

    /// Adds a hook that runs before the handler of every route of this router, including the
    /// routes of its blueprints (Flask's `before_request`).
    public mutating func before(_ hook: @escaping Hook) {
        hooks.append(hook)
    }

    /// Mounts a blueprint: every route of `blueprint` below `prefix` (a template, which may
    /// have parameters), with its names, hooks and error handlers.
    ///
    /// Its handlers see requests as if `blueprint` were mounted with ``Mount``: the prefix
    /// moved from ``Request/pathInfo`` to ``Request/scriptName``.
    public mutating func mount(_ prefix: String, _ blueprint: Router) {
        let prefix = RouteTemplate(prefix)
        for endpoint in blueprint.endpoints {
            for (method, index) in endpoint.routes {
                let route = blueprint.routes[index].mounted(at: prefix, hooks: blueprint.hooks, errorHandlers: blueprint.errorHandlers)
                add(route, method: method, name: blueprint.names.first { $0.value == index }?.key)
            }
        }
        applications += blueprint.applications
    }

    /// Mounts any application at `prefix`, for every method, as ``Mount`` would: it sees the
    /// prefix in ``Request/scriptName`` and the rest of the path in ``Request/pathInfo``. Its
    /// start-up and shut-down run with the router's.
    public mutating func mount(_ prefix: String, _ application: some Application) {
        let template = RouteTemplate(prefix)
        let handler: Handler = { request in try await application.respond(to: request) }
        let route = Route(
            template: RouteTemplate(segments: template.segments + [.catchAll("path")]),
            handler: handler, mountDepth: template.segments.count, hooks: [], errorHandlers: []
        )
        add(route, method: nil, name: nil)
        applications.append(application)
    }

    private mutating func add(_ route: Route, method: Request.Method?, name: String?) {
        routes.append(route)
        let index = routes.count - 1
        trie.value(for: route.template) { existing in
            guard let existing else {
                endpoints.append(Endpoints(routes: [(method, index)]))
                return endpoints.count - 1
            }
            precondition(
                !endpoints[existing].routes.contains { $0.method == method },
                "two routes for \(method?.rawValue ?? "every method") \(route.template)"
            )
            endpoints[existing].routes.append((method, index))
            return existing
        }
        if let name {
            precondition(names[name] == nil, "two routes are named \(name)")
            names[name] = index
        }
        table = RouteTable(routes: routes, names: names)
    }

    /// Answers the request with the matching route's handler, or with the error it throws.
    public func respond(to request: Request) async throws -> Response {
        var route: Route?
        do {
            let matched = try resolve(request)
            route = matched
            // A blueprint's handler sees its prefix moved to scriptName; others get the request as it is.
            let routed = matched.mountDepth > 0 ? Self.split(request, afterSegments: matched.mountDepth) : request
            for hook in hooks { try await hook(routed) }
            for hook in matched.hooks { try await hook(routed) }
            return try await matched.handler(routed)
        } catch {
            let handlers = (route?.errorHandlers ?? []).reduce(ErrorHandlers()) { $0.followed(by: $1) }.followed(by: errorHandlers)
            return try await handlers.response(for: error, to: request)
        }
    }

    /// The route for a request, its parameters stored in the request's context; throws 404 or 405.
    private func resolve(_ request: Request) throws -> Route {
        let path = request.pathInfo
        let found =
            path.utf8.withContiguousStorageIfAvailable { trie.match($0) }
            ?? {
                var copy = path
                return copy.withUTF8 { trie.match($0) }
            }()
        guard let found else { throw HTTPError(.notFound, detail: "nothing is at \(request.path)") }
        let endpoint = endpoints[found.value]
        guard let index = endpoint.route(for: request.method) else {
            throw HTTPError(
                .methodNotAllowed,
                detail: "\(request.path) does not take \(request.method)",
                headers: ["Allow": endpoint.allowed]
            )
        }
        let route = routes[index]
        request.context[RouteState.self] = RouteState(
            parameters: Parameters(zip(route.parameterNames, found.captures).map { ($0, Self.text(of: path, $1)) }),
            table: table,
            baseLength: request.scriptName.utf8.count
        )
        return route
    }

    /// The request with the path's first `count` segments moved from pathInfo to scriptName.
    private static func split(_ request: Request, afterSegments count: Int) -> Request {
        var routed = request
        let path = request.pathInfo
        let split = offset(afterSegments: count, of: path)
        routed.scriptName += text(of: path, 0..<split)
        routed.pathInfo = text(of: path, split..<path.utf8.count)
        return routed
    }

    /// The text of a range of a path's UTF-8 bytes.
    private static func text(of path: String, _ range: Range<Int>) -> String {
        let utf8 = path.utf8
        return String(path[utf8.index(utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: range.upperBound)])
    }

    /// The byte offset where the path's `count + 1`th segment's `/` is, or the path's end.
    private static func offset(afterSegments count: Int, of path: String) -> Int {
        var seen = 0
        for (offset, byte) in path.utf8.enumerated() where byte == UInt8(ascii: "/") {
            if seen == count { return offset }
            seen += 1
        }
        return path.utf8.count
    }

    /// Starts every application mounted with ``mount(_:_:)-(_,Application)``.
    public func startup() async throws {
        for application in applications { try await application.startup() }
    }

    /// Stops every mounted application, in reverse order.
    public func shutdown() async {
        for application in applications.reversed() { await application.shutdown() }
    }
}
