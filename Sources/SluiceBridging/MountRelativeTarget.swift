// The request-target as an application mounted below scriptName routes on it: what a bridge
// hands a framework that routes on the request-target, so its routes work under any mount.

public import HTTPTypes
public import Sluice
public import SluiceHTTPTypes

extension Request {
    /// The request-target below the mount: ``mountRelativePath``, then `?` and the
    /// ``Sluice/Request/queryString`` when there is one.
    ///
    /// A framework given this instead of ``Sluice/Request/target`` routes the same way wherever
    /// the application is mounted: at `/app`, the target `/app/todos/7?full=1` becomes
    /// `/todos/7?full=1`.
    public var mountRelativeTarget: String {
        queryString.isEmpty ? mountRelativePath : mountRelativePath + "?" + queryString
    }

    /// ``Sluice/Request/pathInfo`` percent-encoded as the client sent it, or `/` when it is
    /// empty (the request named the mount itself).
    ///
    /// The bytes come from ``Sluice/Request/target`` when its path is ``Sluice/Request/scriptName``
    /// followed by ``Sluice/Request/pathInfo`` segment for segment — so an encoded `/` (`%2F`)
    /// stays inside its segment, as a router reading the raw target expects. Where it is not
    /// (dot segments, a front server that rewrote the request) the path is
    /// ``Sluice/Request/pathInfo`` encoded anew, so no `..` ever reaches the framework (Spec REQ-4).
    public var mountRelativePath: String {
        let encoded =
            MountRelativePath.encodedRemainder(of: RequestTarget(target).encodedPath, below: scriptName, decodingTo: pathInfo)
            .map(String.init) ?? MountRelativePath.encoded(pathInfo)
        return encoded.isEmpty ? "/" : encoded
    }
}

extension Request {
    /// `HTTPRequest(mountRelative: self)`, or `nil` when HTTPTypes cannot hold this request's
    /// head, after writing why to ``Sluice/Request/errorLog``. A bridge answers `nil` with 400:
    /// the head came from the client, and the framework cannot be given it unchanged.
    public func mountRelativeHead() -> HTTPRequest? {
        do {
            return try HTTPRequest(mountRelative: self)
        } catch {
            errorLog.write("sluice: \(method) \(target): answered 400: the head cannot be passed on: \(error)")
            return nil
        }
    }
}

extension HTTPRequest {
    /// The head of `request` as a framework mounted where the request landed sees it:
    /// `HTTPRequest(request)` with ``Sluice/Request/mountRelativeTarget`` as its `path`.
    ///
    /// - Throws: ``SluiceHTTPTypes/HTTPTypesConversionError`` for a method or field HTTPTypes
    ///   would change; a bridge answers such a request 400 (it came from the client).
    public init(mountRelative request: Request) throws(HTTPTypesConversionError) {
        try self.init(request)
        path = request.mountRelativeTarget
    }
}

/// The two ways of spelling a path below the mount.
enum MountRelativePath {
    /// The part of `raw` below `scriptName`, when `raw`'s segments, each percent-decoded on its
    /// own, spell `scriptName` and then `pathInfo`; otherwise `nil`.
    ///
    /// Decoding segment by segment, with no dot segment removed, means a raw path holding `.`
    /// or `..` never matches a decoded path (from which the server removed them).
    static func encodedRemainder(of raw: Substring, below scriptName: String, decodingTo pathInfo: String) -> Substring? {
        var mount = ""
        var rest = raw[...]
        while mount.utf8.count < scriptName.utf8.count {
            guard let segment = firstSegment(of: rest) else { return nil }
            mount += "/" + percentDecoded(segment)
            rest = rest[segment.endIndex...]
        }
        guard mount == scriptName else { return nil }
        var decoded = ""
        var remaining = rest
        while let segment = firstSegment(of: remaining) {
            decoded += "/" + percentDecoded(segment)
            remaining = remaining[segment.endIndex...]
        }
        guard remaining.isEmpty, decoded == pathInfo else { return nil }
        return rest
    }

    /// The segment after the leading `/` of `path`, or `nil` when `path` does not start with `/`.
    private static func firstSegment(of path: Substring) -> Substring? {
        guard path.utf8.first == UInt8(ascii: "/") else { return nil }
        let start = path.utf8.index(after: path.startIndex)
        let end = path[start...].utf8.firstIndex(of: UInt8(ascii: "/")) ?? path.endIndex
        return path[start..<end]
    }

    /// A decoded path with every byte outside RFC 3986's `pchar` and `/` percent-encoded.
    static func encoded(_ path: String) -> String {
        guard !path.utf8.allSatisfy(isPathByte) else { return path }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(path.utf8.count)
        for byte in path.utf8 {
            if isPathByte(byte) {
                bytes.append(byte)
            } else {
                bytes += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Whether a byte may stand for itself in a path: unreserved, sub-delims, `:`, `@` or `/`.
    private static func isPathByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "-._~!$&'()*+,;=:@/".utf8.contains(byte)
        }
    }
}
