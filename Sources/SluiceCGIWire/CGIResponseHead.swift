// The CGI response header block (RFC 3875 section 6), written by CGI and FastCGI adapters.

public import Sluice
import SluiceGateway

/// Serialises a response head the way a CGI program or FastCGI responder sends it.
public enum CGIResponseHead {
    /// The header block: a `Status:` line, the header fields, and the empty line (Spec CGI-10).
    ///
    /// A local redirect (``Response/localRedirect(to:)``) is written as a lone `Location:`
    /// field with no `Status:` line, so the server re-runs the request for that path
    /// (RFC 3875 section 6.2.2).
    public static func bytes(status: Response.Status, headers: Headers) -> [UInt8] {
        // Sized first and written into one buffer: a growing array reallocates as it goes.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(byteCount(status: status, headers: headers))
        write(status: status, headers: headers) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// The length of the header block ``bytes(status:headers:)`` returns.
    public static func byteCount(status: Response.Status, headers: Headers) -> Int {
        var count = 2
        if hasStatusLine(status, headers) {
            count += "Status: ".utf8.count + String(status.code).utf8.count + 1 + status.reasonPhrase.utf8.count + 2
        }
        for field in headers.fields {
            count += field.name.utf8.count + 2 + field.value.utf8.count + 2
        }
        return count
    }

    /// Hands the header block to `sink` piece by piece, in order, copying nothing: a FastCGI
    /// responder writes the pieces straight into its connection's buffer.
    public static func write(status: Response.Status, headers: Headers, to sink: (UnsafeRawBufferPointer) -> Void) {
        if hasStatusLine(status, headers) {
            write(literal: "Status: ", to: sink)
            // A short string: stored inline, no allocation.
            write(String(status.code), to: sink)
            write(literal: " ", to: sink)
            write(status.reasonPhrase, to: sink)
            write(literal: "\r\n", to: sink)
        }
        headers.fields.withUnsafeBufferPointer { fields in
            for index in fields.indices {
                write(fields[index].name, to: sink)
                write(literal: ": ", to: sink)
                write(fields[index].value, to: sink)
                write(literal: "\r\n", to: sink)
            }
        }
        write(literal: "\r\n", to: sink)
    }

    /// Whether the block starts with a `Status:` line: all but a local redirect's do.
    private static func hasStatusLine(_ status: Response.Status, _ headers: Headers) -> Bool {
        !Response.isLocalRedirect(status: status, headers: headers)
    }

    /// Hands a literal's UTF-8 bytes to `sink`.
    private static func write(literal: StaticString, to sink: (UnsafeRawBufferPointer) -> Void) {
        sink(UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Hands a string's UTF-8 bytes to `sink`.
    private static func write(_ text: String, to sink: (UnsafeRawBufferPointer) -> Void) {
        text.withBorrowedUTF8 { sink(UnsafeRawBufferPointer($0)) }
    }
}

extension String {
    /// `body`'s result for the string's UTF-8 bytes, borrowed in place where the string lends
    /// them (native strings do), else from a copy: for byte-wise work on a hot path, where the
    /// generic walk through the UTF-8 view costs more than the work.
    func withBorrowedUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }
}
