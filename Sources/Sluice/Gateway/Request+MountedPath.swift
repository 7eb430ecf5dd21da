// Where the application is mounted: scriptName and pathInfo from the meta-variables (Spec CGI-3).

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
        case let .mountedAt(prefix):
            let mount = Mount.normalise(prefix)
            return Mount.remainder(of: path, below: mount).map { (mount, $0) } ?? ("", path)
        case .fromVariables:
            let scriptName = Mount.normalise(variables.scriptName ?? "")
            return Mount.remainder(of: path, below: scriptName).map { (scriptName, $0) }
        }
    }
}

/// The path a front server ran a request for, as it says in `SCRIPT_NAME` and `PATH_INFO`:
/// decoded, and — depending on the server — with dot segments resolved or not, runs of `/`
/// merged or not, `%2F` kept or decoded (SERVER-MATRIX §1–2).
struct RoutedPath {
    let scriptName: String?
    let pathInfo: String?

    init(_ variables: SortedVariables) {
        scriptName = variables.scriptName
        pathInfo = variables.pathInfo
    }

    /// Whether the server ran the request for the decoded target `path` rather than another:
    /// true when it passed neither variable, or when they name `path` up to the differences
    /// servers make on their own — dot segments, `//`, a trailing `/`, `%2F` kept.
    func isSameRequest(as path: String) -> Bool {
        guard scriptName != nil || pathInfo != nil else { return true }
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
    /// ``PathSplit/mountedAt(_:)`` the two joined and split at the mount.
    func split(_ pathSplit: PathSplit) throws(MetaVariableError) -> (scriptName: String, pathInfo: String) {
        switch pathSplit {
        case .fromVariables:
            let mount = Mount.normalise(scriptName ?? "")
            try Self.check(mount, from: "SCRIPT_NAME")
            let rest = Self.rooted(pathInfo ?? "")
            try Self.check(rest, from: "PATH_INFO")
            return (mount, rest)
        case let .mountedAt(prefix):
            let path = Self.rooted((scriptName ?? "") + (pathInfo ?? ""))
            try Self.check(path, from: pathInfo == nil ? "SCRIPT_NAME" : "PATH_INFO")
            let mount = Mount.normalise(prefix)
            return Mount.remainder(of: path, below: mount).map { (mount, $0) } ?? ("", path)
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
