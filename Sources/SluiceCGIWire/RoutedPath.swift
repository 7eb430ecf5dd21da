// What a front server says it ran a request for: SCRIPT_NAME and PATH_INFO, compared with the
// target and split when it ran another path (Spec CGI-3, REQ-15).

import Sluice
import SluiceGateway

/// The path a front server ran a request for, as it says in `SCRIPT_NAME` and `PATH_INFO`:
/// decoded, and — depending on the server — with dot segments resolved or not, runs of `/`
/// merged or not, `%2F` kept or decoded (Docs/server-matrix.md §1–2).
struct RoutedPath {
    let scriptName: String?
    let pathInfo: String?
    /// Whether the server marked the request as run again (`REDIRECT_URL`).
    let isRedirected: Bool

    init(_ variables: SortedVariables) {
        scriptName = variables.scriptName
        pathInfo = variables.pathInfo
        isRedirected = variables.isRedirected
    }

    /// Whether the server ran the request for the decoded target `path` rather than another:
    /// true when it passed neither variable, or when they name `path` up to the differences
    /// servers make on their own — dot segments, `//`, a trailing `/`, `%2F` kept. A server
    /// that passes `SCRIPT_NAME` and no `PATH_INFO` names only where the application is mounted
    /// (a fixed `fastcgi_param SCRIPT_NAME`, a minimal client): a path below it is the client's
    /// request, unless the server marked it as run again (Apache's `REDIRECT_URL`, as after a
    /// local redirect to the mount itself).
    func isSameRequest(as path: String) -> Bool {
        guard scriptName != nil || pathInfo != nil else { return true }
        if pathInfo == nil, !isRedirected, let scriptName, Mount.remainder(of: path, below: Mount.normalise(scriptName)) != nil {
            return true
        }
        // The usual case, nginx's or Apache's split of a plain path, compared without copies.
        let scriptName = scriptName ?? ""
        let pathInfo = pathInfo ?? ""
        let bytes = path.utf8
        if bytes.starts(with: scriptName.utf8), bytes.dropFirst(scriptName.utf8.count).elementsEqual(pathInfo.utf8) {
            return true
        }
        let routed = Array((scriptName + pathInfo).utf8)
        let wanted = Self.comparable(Array(bytes))
        return Self.comparable(routed) == wanted || Self.comparable(percentDecodedBytes(routed)) == wanted
    }

    /// The path's segments with dot segments resolved, and with the empty ones that `//`, a
    /// leading or a trailing `/` make left out.
    private static func comparable(_ path: [UInt8]) -> [ArraySlice<UInt8>] {
        var segments: [ArraySlice<UInt8>] = []
        for segment in path.split(separator: UInt8(ascii: "/")) {
            if segment.elementsEqual(".".utf8) { continue }
            if segment.elementsEqual("..".utf8) {
                _ = segments.popLast()
                continue
            }
            segments.append(segment)
        }
        return segments
    }

    /// The split of what the server ran, checked (Spec REQ-15): under
    /// ``PathSplit/fromVariables`` `SCRIPT_NAME` and `PATH_INFO` as passed, under
    /// ``PathSplit/wholePath`` the two joined.
    func split(_ pathSplit: PathSplit) throws(MetaVariableError) -> (scriptName: String, pathInfo: String) {
        switch pathSplit {
        case .fromVariables:
            let mount = Mount.normalise(scriptName ?? "")
            try Self.check(mount, from: "SCRIPT_NAME")
            let rest = Self.rooted(pathInfo ?? "")
            try Self.check(rest, from: "PATH_INFO")
            return (mount, rest)
        case .wholePath:
            let path = Self.rooted((scriptName ?? "") + (pathInfo ?? ""))
            try Self.check(path, from: pathInfo == nil ? "SCRIPT_NAME" : "PATH_INFO")
            return ("", path)
        }
    }

    /// The path with a leading `/` unless it is empty (Spec REQ-3).
    private static func rooted(_ path: String) -> String {
        path.isEmpty || path.startsWithSlash ? path : "/" + path
    }

    /// Throws when a path the server passed decoded holds a dot segment or a control character.
    private static func check(_ path: String, from variable: String) throws(MetaVariableError) {
        if let reason = UnsafePath.reason(inDecoded: path.utf8) {
            throw .unsafePath(name: variable, reason: reason)
        }
    }
}
