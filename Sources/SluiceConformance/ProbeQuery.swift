// Probe options written into a request's query, where every front server passes them raw.

/// Probe options as a query string, `?probe-name=value&…`, values percent-encoded.
///
/// Repeatable options go in the query: several `X-Probe-Header` fields would reach the probe
/// joined into one by the front servers that join repeated fields (Spec CGI-4), and the query
/// arrives raw everywhere (Spec REQ-5).
func probeQuery(_ options: [(name: String, value: String)]) -> String {
    "?" + options.map { "probe-\($0.name)=\(percentEncoded($0.value))" }.joined(separator: "&")
}

/// `text` with every byte but unreserved ones (RFC 3986 §2.3) percent-encoded.
func percentEncoded(_ text: String) -> String {
    var encoded = ""
    for byte in text.utf8 {
        let scalar = Unicode.Scalar(byte)
        let unreserved = ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || "-._~".unicodeScalars.contains(scalar)
        if unreserved {
            encoded.unicodeScalars.append(scalar)
        } else {
            let hex = String(byte, radix: 16, uppercase: true)
            encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
        }
    }
    return encoded
}
