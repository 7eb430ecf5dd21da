// A middleware of the usual shape: it adds a header to every response, errors included.

import HTTPTypes
import Hummingbird

/// Adds `API-Version: 1` to every response, including the 404s and 422s errors become.
struct APIVersionMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[HTTPField.Name("API-Version")!] = "1"
        return response
    }
}
