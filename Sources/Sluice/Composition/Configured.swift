// Attaching per-application configuration.

extension Application {
    /// This application with a configuration attached to every request it handles (Spec APP-5).
    ///
    /// The configuration is visible as ``Request/configuration`` and, from any code running for
    /// the request (also while its body streams), as ``Configuration/current``.
    public func configured(_ configuration: Configuration) -> any Application {
        Middleware { request, next in
            var request = request
            request.configuration = configuration
            var response = try await Configuration.$current.withValue(configuration) {
                try await next.respond(to: request)
            }
            let body = response.body
            response.body = ResponseBody(length: body.length) { writer in
                try await Configuration.$current.withValue(configuration) {
                    try await body.write(to: writer)
                }
            }
            return response
        }(self)
    }
}
