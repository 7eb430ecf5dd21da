// A request body that fails as an adapter's does past its limit or when the client stops short.

public import Sluice

extension Application {
    /// This application, with every request's body replaced by one whose first read throws
    /// `error` — what an adapter's body throws past its limit (`tooLarge`) or when the client
    /// sends less than it declared (`truncated`).
    public func readingFailingBodies(_ error: RequestBodyError) -> any Application {
        wrapped(
            by: Middleware { request, next in
                var failing = request
                failing.body = RequestBody(expectedLength: nil, source: FailingSource(error: error))
                return try await next.respond(to: failing)
            })
    }
}

/// A body source that throws on the first read.
private struct FailingSource: RequestBodySource {
    let error: RequestBodyError

    mutating func next() async throws -> [UInt8]? {
        throw error
    }
}
