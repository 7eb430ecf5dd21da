// A request the server re-ran internally: its variables describe the new request, REQUEST_URI the old.

import Sluice

/// Building the request when `REQUEST_URI` may not be this request's target.
///
/// Apache keeps the client's `REQUEST_URI` when it re-runs a request for another path — a local
/// redirect (RFC 3875 section 6.2.2), an `ErrorDocument` — while `PATH_INFO` and `QUERY_STRING`
/// describe the new one. Deriving the path from `REQUEST_URI` (Spec CGI-3) would then route the
/// redirected request back to where it came from: a local redirect to the same program loops
/// until Apache gives up with a 500.
enum InternalRedirect {
    /// The request `environment` describes: split with `REQUEST_URI` when it agrees with
    /// `PATH_INFO` and `QUERY_STRING`, else rebuilt from those two as if the server had passed no
    /// `REQUEST_URI` (Spec REQ-2, REQ-3, REQ-5).
    static func request(
        _ environment: MetaVariables, body: RequestBody, errorLog: ErrorLog, capabilities: ServerCapabilities
    ) throws(MetaVariableError) -> Request {
        let request = try Request(
            metaVariables: environment, body: body, errorLog: errorLog, capabilities: capabilities, pathSplit: .fromVariables
        )
        guard environment["REQUEST_URI"] != nil, !agrees(request, with: environment) else { return request }
        let withoutTarget = MetaVariables(environment.pairs.lazy.filter { $0.name != "REQUEST_URI" }.map { ($0.name, $0.value) })
        return try Request(
            metaVariables: withoutTarget, body: body, errorLog: errorLog, capabilities: capabilities, pathSplit: .fromVariables
        )
    }

    /// Whether the target names the path and query the variables give. Servers hand `PATH_INFO`
    /// decoded, often with repeated slashes merged, and Apache keeps `%2F` encoded in it; none
    /// of those differences counts.
    private static func agrees(_ request: Request, with environment: MetaVariables) -> Bool {
        guard RequestTarget(request.target).query == request.queryString else { return false }
        guard let pathInfo = environment["PATH_INFO"] else { return true }
        return mergingSlashes(request.pathInfo) == mergingSlashes(percentDecoded(pathInfo))
    }

    /// The path with each run of `/` written once.
    private static func mergingSlashes(_ path: String) -> String {
        var merged = ""
        for character in path where !(character == "/" && merged.last == "/") {
            merged.append(character)
        }
        return merged
    }
}
