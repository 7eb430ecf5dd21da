// Writing decoded paths back as URL paths.

/// Percent-encoding for paths the toolkit writes: links, cookie paths, front-server redirects.
enum URLPath {
    /// `path` with every byte that may not stand for itself in a path escaped: kept are ASCII
    /// letters, digits, `/` and `-._~!$&'()*+,=:@`; `;`, `%`, `?`, `#`, spaces and
    /// everything else become `%XX`.
    static func encode(_ path: String) -> String {
        FormEncoding.percentEncode(path) { byte in
            "/-._~!$&'()*+,=:@".utf8.contains(byte)
        }
    }

    /// One segment of a path: as ``encode(_:)``, and `/` escaped too.
    static func encodeSegment(_ segment: String) -> String {
        FormEncoding.percentEncode(segment) { byte in
            "-._~!$&'()*+,=:@".utf8.contains(byte)
        }
    }
}
