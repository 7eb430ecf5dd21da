// Dispatch by path prefix, moving the prefix from pathInfo to scriptName.

/// An application that hands each request to the application mounted at the longest
/// matching path prefix (Rack's URLMap, Werkzeug's DispatcherMiddleware).
///
/// A prefix matches whole segments: `/api` matches `/api` and `/api/users`, not `/apix`.
/// The matched prefix moves from ``Request/pathInfo`` to the end of ``Request/scriptName``
/// (Spec MOUNT-1 to MOUNT-4), so a mounted application sees the same paths wherever it is
/// mounted and can build its own URLs from ``Request/scriptName``.
///
/// ```swift
/// let site = Mount(["/api": api, "/admin": admin], fallback: pages)
/// ```
public struct Mount: Application {
    private let routes: [(prefix: String, application: any Application)]
    private let fallback: any Application

    /// Creates a dispatcher.
    ///
    /// - Parameters:
    ///   - routes: Applications by prefix. A prefix is normalised to start with `/` and end
    ///     without one; `""` or `"/"` mounts at the root and matches every path.
    ///   - fallback: What answers a path no prefix matches; by default a 404.
    public init(_ routes: [String: any Application], fallback: any Application = NotFound()) {
        self.routes =
            routes
            .map { (prefix: Mount.normalise($0.key), application: $0.value) }
            .sorted { $0.prefix.utf8.count > $1.prefix.utf8.count }
        self.fallback = fallback
    }

    /// Dispatches the request to the application mounted at the longest matching prefix.
    public func respond(to request: Request) async throws -> Response {
        for route in routes {
            if let remainder = Mount.remainder(of: request.pathInfo, below: route.prefix) {
                var mounted = request
                mounted.scriptName += route.prefix
                mounted.pathInfo = remainder
                return try await route.application.respond(to: mounted)
            }
        }
        return try await fallback.respond(to: request)
    }

    /// Starts every mounted application, then the fallback.
    public func startup() async throws {
        for route in routes {
            try await route.application.startup()
        }
        try await fallback.startup()
    }

    /// Stops the fallback, then every mounted application, in reverse order of start-up.
    public func shutdown() async {
        await fallback.shutdown()
        for route in routes.reversed() {
            await route.application.shutdown()
        }
    }

    /// Splits a decoded path the way a server that mounts an application at `prefix` does:
    /// the normalised prefix becomes ``Request/scriptName`` and the rest ``Request/pathInfo``
    /// (Spec MOUNT-1 to MOUNT-3, REQ-3).
    ///
    /// - Returns: The split, or `nil` when the path is not below the prefix on whole segments.
    public static func split(_ path: String, at prefix: String) -> (scriptName: String, pathInfo: String)? {
        let mount = normalise(prefix)
        return remainder(of: path, below: mount).map { (scriptName: mount, pathInfo: $0) }
    }

    /// The prefix with one leading `/`, no trailing `/`, and runs of `/` collapsed, the `/`s
    /// found as bytes (see ``remainder(of:below:)``).
    package static func normalise(_ prefix: String) -> String {
        if isNormal(prefix) { return prefix }
        let segments = prefix.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
        return segments.isEmpty ? "" : "/" + segments.map { String(Substring($0)) }.joined(separator: "/")
    }

    /// Whether a prefix is already normal: empty, or `/` and segments with no empty one or trailing `/`.
    private static func isNormal(_ prefix: String) -> Bool {
        var previous: UInt8?
        for byte in prefix.utf8 {
            if byte == UInt8(ascii: "/"), previous == UInt8(ascii: "/") { return false }
            previous = byte
        }
        return previous == nil || (prefix.utf8.first == UInt8(ascii: "/") && previous != UInt8(ascii: "/"))
    }

    /// What is left of `path` below `prefix`, or `nil` when the prefix does not match whole
    /// segments. Compared as bytes: as `Character`s, a combining mark after the prefix's last
    /// byte or after the `/` that follows it would join them, and the path would not match.
    package static func remainder(of path: String, below prefix: String) -> String? {
        guard !prefix.isEmpty else { return path }
        let bytes = path.utf8
        guard bytes.starts(with: prefix.utf8) else { return nil }
        let rest = bytes.index(bytes.startIndex, offsetBy: prefix.utf8.count)
        guard rest == bytes.endIndex || bytes[rest] == UInt8(ascii: "/") else { return nil }
        return String(path[rest...])
    }
}

/// An application that answers every request with 404 Not Found.
public struct NotFound: Application {
    /// Creates the application.
    public init() {}

    /// Answers 404 with a short plain-text body.
    public func respond(to request: Request) async throws -> Response {
        .status(.notFound)
    }
}
