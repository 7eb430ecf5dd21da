// Turning a file name a client sent into one that is safe to use on the server.

/// Client-supplied file names, made safe (Werkzeug's `secure_filename`).
public enum FileName {
    /// `name` reduced to a plain file name: the last component of any `/` or `\` path, with
    /// only ASCII letters, digits, `.`, `-` and `_` kept (spaces become `_`), no leading or
    /// trailing dots or underscores, at most 255 bytes, and Windows' device names (`CON`,
    /// `NUL`, `COM1` …) prefixed with `_`.
    ///
    /// - Returns: The safe name, or `nil` when nothing is left (`..`, `///`, `%00`).
    public static func sanitised(_ name: String) -> String? {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? ""
        var kept = String.UnicodeScalarView()
        for scalar in last.unicodeScalars {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "-", "_": kept.append(scalar)
            case " ", "\t": kept.append("_")
            default: continue
            }
        }
        var safe = Substring(String(kept))
        while let first = safe.first, first == "." || first == "_" { safe.removeFirst() }
        while let last = safe.last, last == "." || last == "_" { safe.removeLast() }
        if safe.utf8.count > 255 {
            safe = safe.suffix(255)
        }
        guard !safe.isEmpty else { return nil }
        let stem = safe.split(separator: ".").first.map { $0.uppercased() } ?? ""
        let devices = Set(["CON", "PRN", "AUX", "NUL"] + (1...9).flatMap { ["COM\($0)", "LPT\($0)"] })
        return devices.contains(stem) ? "_" + safe : String(safe)
    }
}
