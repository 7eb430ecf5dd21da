// Where the application is mounted: scriptName and pathInfo from the meta-variables (Spec CGI-3).

import Sluice
import SluiceGateway

extension Request {
    /// ``scriptName`` and ``pathInfo`` of a request a CGI or FastCGI server passed (Spec CGI-3,
    /// REQ-3, REQ-15).
    ///
    /// The path is the decoded `REQUEST_URI` ([REQ-4]) split by `pathSplit`, as long as the
    /// front server ran the request for that path. When `SCRIPT_NAME` and `PATH_INFO` name
    /// another path — it re-ran the request after a local redirect or for an error document,
    /// or a rewrite sent it elsewhere — what it ran wins, as it does without `REQUEST_URI`.
    /// Either way the result holds no dot segment and no control character.
    ///
    /// - Throws: ``MetaVariableError/unsafePath(name:reason:)`` naming the variable the
    ///   refused path came from.
    static func mountedPath(
        passedTarget: String?, _ variables: SortedVariables, _ pathSplit: PathSplit
    ) throws(MetaVariableError) -> (scriptName: String, pathInfo: String) {
        if let passedTarget {
            let path: String
            do {
                path = try RequestTarget(passedTarget).checkedDecodedPath()
            } catch {
                throw .unsafePath(name: "REQUEST_URI", reason: error)
            }
            if RoutedPath(variables).isSameRequest(as: path), let split = split(path, variables, pathSplit) {
                return split
            }
        }
        return try RoutedPath(variables).split(pathSplit)
    }

    /// The split of a decoded target path, or `nil` under ``PathSplit/fromVariables`` when the
    /// path is not below `SCRIPT_NAME`: then only the variables can say where the program runs.
    private static func split(_ path: String, _ variables: SortedVariables, _ pathSplit: PathSplit) -> (String, String)? {
        switch pathSplit {
        case .wholePath:
            return ("", path)
        case .fromVariables:
            let scriptName = Mount.normalise(variables.scriptName ?? "")
            return Mount.remainder(of: path, below: scriptName).map { (scriptName, $0) }
        }
    }
}
