// JSON responses whose bytes do not depend on the process that wrote them.

public import Hummingbird

// FoundationEssentials has JSONEncoder without the rest of Foundation, which costs a CGI
// program start-up time on every request (Docs/cgi.md).
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A value sent as JSON with its keys sorted.
///
/// Swift's `JSONEncoder` writes an object's keys in an order that changes from one process to
/// the next. Under CGI every request is a process of its own, so the same request would get
/// differently ordered JSON each time; sorted keys make the answer the same bytes everywhere.
public protocol SortedJSONResponse: Encodable, ResponseGenerator {}

extension SortedJSONResponse {
    /// The value as `application/json`, keys sorted.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try SortedJSON.encoder.encode(self, from: request, context: context)
    }
}

/// The encoder of every ``SortedJSONResponse``.
enum SortedJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()
}
