// An application that serves a directory, with no way out of it.

public import Sluice

/// Serves the files below a directory: ``Response/file(at:for:contentType:downloadName:)``
/// for each, after making sure the request cannot leave the directory.
///
/// ```swift
/// router.mount("/static", StaticFiles(root: "/srv/app/public"))
/// ```
///
/// - The path is ``Request/pathInfo``, decoded. A segment that is `.` or `..`, starts with
///   `.` (hidden files such as `.env`, `.git`), or holds `\` or a control character is 404,
///   whatever escaping brought it (`%2e%2e`, `%2F`, `%00`).
/// - Symbolic links are followed only when the file they lead to is inside the root.
/// - A directory is answered with its `index.html` (redirected to end in `/` first); there
///   are no listings.
/// - GET and HEAD only: other methods are 405.
public struct StaticFiles: Application {
    /// The directory served.
    public var root: String
    /// The file that answers for a directory; `nil` for none.
    public var indexFile: String?
    /// Whether the front server sends the files (``FrontServerHandoff``); `nil` to send them here.
    public var handoff: FrontServerHandoff?

    /// Creates an application serving `root`.
    public init(root: String, indexFile: String? = "index.html", handoff: FrontServerHandoff? = nil) {
        self.root = root
        self.indexFile = indexFile
        self.handoff = handoff
    }

    /// Answers with the file the path names, or 404.
    public func respond(to request: Request) async throws -> Response {
        guard request.method == .get || request.method == .head else {
            throw HTTPError(.methodNotAllowed, detail: "files are read with GET or HEAD", headers: ["Allow": "GET, HEAD"])
        }
        let notFound = HTTPError(.notFound, detail: "nothing is at \(request.path)")
        let segments = request.pathInfo.split(separator: "/")
        guard segments.allSatisfy(Self.isServable), let base = FileSystem.realPath(root) else { throw notFound }
        var relative = segments.joined(separator: "/")
        guard var path = resolve(relative, below: base), var status = FileSystem.status(path) else { throw notFound }
        if status.isDirectory {
            guard request.pathInfo.hasSuffix("/") || request.pathInfo.isEmpty && request.scriptName.hasSuffix("/") else {
                return Response(status: .movedPermanently, headers: ["Location": URLPath.encode(request.path) + "/"])
            }
            guard let indexFile else { throw notFound }
            relative += (relative.isEmpty ? "" : "/") + indexFile
            guard let index = resolve(relative, below: base), let indexStatus = FileSystem.status(index) else { throw notFound }
            (path, status) = (index, indexStatus)
        }
        guard status.isRegularFile else { throw notFound }
        guard let handoff else { return try .file(at: path, for: request) }
        let field = handoff.field(absolutePath: path, relativePath: relative)
        return Response(headers: [field.name: field.value, "Content-Type": MediaTypes.type(forFileName: path)])
    }

    /// The real path of `relative` below `base`, when it exists and stays inside `base`.
    private func resolve(_ relative: String, below base: String) -> String? {
        guard let real = FileSystem.realPath(relative.isEmpty ? base : base + "/" + relative) else { return nil }
        return real == base || real.hasPrefix(base.hasSuffix("/") ? base : base + "/") ? real : nil
    }

    /// Whether a decoded path segment may name a file: not a dot segment or hidden, no `\`,
    /// no control character.
    private static func isServable(_ segment: Substring) -> Bool {
        segment.first != "." && !segment.utf8.contains { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\\") }
    }
}
