// Bodies between Sluice and OpenAPIRuntime's HTTPBody, both ways as streams.

#if OpenAPI
import OpenAPIRuntime
import Sluice
import SluiceBridging

extension HTTPBody {
    /// The request body as the generated server reads it, or `nil` for a request known to
    /// have none (so an optional body decodes as absent, and a required one fails with 400).
    ///
    /// It streams: the handler reads as the client sends, once (`iterationBehavior: .single`).
    convenience init?(_ body: RequestBody) {
        guard !body.isKnownEmpty else { return nil }
        self.init(body, length: body.expectedLength.map { .known(Int64($0)) } ?? .unknown, iterationBehavior: .single)
    }
}

extension ResponseBody {
    /// A response body that streams `body`, or an empty one for `nil`.
    init(_ body: HTTPBody?) {
        guard let body else {
            self = .empty
            return
        }
        let length: Int? =
            switch body.length {
            case let .known(count): Int(exactly: count)
            case .unknown: nil
            }
        self.init(chunks: body, length: length)
    }
}
#endif
