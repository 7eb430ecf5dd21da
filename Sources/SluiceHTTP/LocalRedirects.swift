// Local redirects, performed by the standalone server itself.

import Sluice

/// Runs the application again for a local redirect (``Response/localRedirect(to:)``) rather
/// than send it to the client as a 200 (Spec HTTP-5): a `GET` of the `Location` target with
/// the same connection fields and no body, at most ``limit`` times per client request; past
/// that the client gets 500 and the log says why.
struct FollowingLocalRedirects: Application {
    /// The most redirects followed for one client request.
    static var limit: Int { 5 }

    /// The application, as an existential: the server is generic over it only at its public
    /// boundary, so that the request path is compiled once, concretely, in this module.
    let wrapped: any Application

    func respond(to request: Request) async throws -> Response {
        let response = try await wrapped.respond(to: request)
        // The loop copies the request, a large value: only redirects pay for it.
        guard response.isLocalRedirect else { return response }
        return try await following(response, of: request)
    }

    /// Runs the application for each redirect in turn, up to the limit.
    private func following(_ redirect: Response, of request: Request) async throws -> Response {
        var response = redirect
        var current = request
        for followed in 0...Self.limit {
            guard response.isLocalRedirect, let location = response.headers["Location"] else { return response }
            if followed == Self.limit { break }
            do {
                current = try Self.request(current, redirectedTo: location)
            } catch {
                request.errorLog.write("sluice: \(request.method) \(request.target): local redirect to a path refused: \(error)")
                return .status(.internalServerError)
            }
            response = try await wrapped.respond(to: current)
        }
        request.errorLog.write("sluice: \(request.method) \(request.target): more than \(Self.limit) local redirects")
        return .status(.internalServerError)
    }

    /// The request for a redirect's target: `GET`, no body, the fields that described the
    /// body removed.
    ///
    /// - Throws: ``UnsafePath`` for a location whose path no application may be handed (Spec REQ-15).
    static func request(_ request: Request, redirectedTo location: String) throws(UnsafePath) -> Request {
        let target = RequestTarget(location)
        var redirected = request
        redirected.method = .get
        redirected.target = location
        redirected.scriptName = ""
        redirected.pathInfo = try target.checkedDecodedPath()
        redirected.queryString = String(target.query)
        redirected.body = .empty
        for name in ["Content-Length", "Content-Type", "Transfer-Encoding", "Expect"] {
            redirected.headers.remove(name)
        }
        return redirected
    }
}
