// The operations a transport holds, and which one answers a method and path.

#if OpenAPI
import HTTPTypes
import OpenAPIRuntime

/// A generated server's handler for one operation.
typealias OperationHandler = @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)

/// Operations by path template and method, the most specific template first.
struct RouteTable: Sendable {
    /// One path and the handlers of its methods.
    private struct Route: Sendable {
        let template: PathTemplate
        var handlers: [String: OperationHandler] = [:]
    }

    /// What answers a request.
    enum Lookup {
        /// The operation's handler and its path parameters.
        case found(OperationHandler, parameters: [String: Substring])
        /// Paths match but none offers the method: 405, with these methods in `Allow`.
        case methodNotAllowed(allowed: [String])
        /// No path matches: 404.
        case notFound
    }

    private var routes: [Route] = []

    /// Adds an operation.
    mutating func add(_ handler: @escaping OperationHandler, method: String, template: PathTemplate) throws(SluiceTransportError) {
        guard let index = routes.firstIndex(where: { $0.template == template }) else {
            var route = Route(template: template)
            route.handlers[method] = handler
            let position = routes.firstIndex { template.isMoreSpecific(than: $0.template) } ?? routes.endIndex
            routes.insert(route, at: position)
            return
        }
        guard routes[index].handlers[method] == nil else { throw .duplicateOperation(method: method, path: template.text) }
        routes[index].handlers[method] = handler
    }

    /// The operation for `method` at `path` (percent-encoded, starting with `/`).
    ///
    /// Of the templates that match, the most specific one offering the method wins. A HEAD
    /// request without a HEAD operation runs the GET operation, and the server sends its head
    /// alone (Spec RESP-6).
    func lookup(method: String, path: String) -> Lookup {
        let segments = path.utf8.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { Substring($0) }
        var allowed: [String] = []
        for route in routes {
            guard let parameters = route.template.parameters(matching: segments) else { continue }
            if let handler = route.handlers[method] ?? (method == "HEAD" ? route.handlers["GET"] : nil) {
                return .found(handler, parameters: parameters)
            }
            allowed += route.handlers.keys
        }
        guard !allowed.isEmpty else { return .notFound }
        if allowed.contains("GET") { allowed.append("HEAD") }
        return .methodNotAllowed(allowed: Set(allowed).sorted())
    }
}
#endif
