// A REST resource as a sub-application: a collection at its root, items below it by number.

import Sluice

/// A sub-application for one kind of resource, mounted under a prefix like a Flask blueprint.
///
/// Its root (`""` or `/`) is the collection; `/<id>` an item, if it has item handlers. Handlers return typed
/// ``JSONReply`` values or throw ``APIError``; any other path is 404, a method the path does
/// not offer 405 with `Allow`.
struct Resource: Application {
    /// Answers a request to the collection.
    typealias CollectionHandler = @Sendable (Request) async throws -> JSONReply
    /// Answers a request to one item, given its id.
    typealias ItemHandler = @Sendable (Request, Int64) async throws -> JSONReply

    /// Whether every request must name a registered user, checked before any handler runs
    /// (a blueprint's `before_request`); the handlers then find the user already loaded.
    var requiresUser = false
    var collection: [Request.Method: CollectionHandler] = [:]
    var item: [Request.Method: ItemHandler] = [:]

    func respond(to request: Request) async throws -> Response {
        do {
            return try await reply(to: request).response
        } catch let error as APIError {
            return error.response
        }
    }

    private func reply(to request: Request) async throws -> JSONReply {
        if requiresUser { _ = try request.requireUser() }
        let path = request.pathInfo
        if path.isEmpty || path == "/" {
            guard let handler = collection[request.method] else { throw refusal(listing: collection.keys) }
            return try await handler(request)
        }
        let digits = path.dropFirst()
        guard !item.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let id = Int64(digits), id > 0 else {
            throw APIError.notFound
        }
        guard let handler = item[request.method] else { throw refusal(listing: item.keys) }
        return try await handler(request, id)
    }

    /// The 405 for a method the path does not offer.
    private func refusal(listing methods: some Collection<Request.Method>) -> APIError {
        .methodNotAllowed(allowed: methods.sorted { $0.rawValue < $1.rawValue })
    }
}
