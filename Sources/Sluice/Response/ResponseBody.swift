// A response body: bytes in hand, or a producer that writes them when the server asks.

/// The body of a response.
///
/// ```swift
/// ResponseBody("Hello")                       // bytes, length known
/// ResponseBody.stream { writer in             // produced while the server sends
///     for await line in lines {
///         try await writer.write(line)
///         try await writer.flush()
///     }
/// }
/// ```
public struct ResponseBody: Sendable {
    /// The number of bytes the body will produce, when known. The server sends it as
    /// `Content-Length` unless the application set that header itself (Spec RESP-5).
    public let length: Int?

    private let produce: @Sendable (any ResponseBodyWriter) async throws -> Void

    /// Creates a body that runs `produce` when the server is ready for it.
    ///
    /// - Parameters:
    ///   - length: How many bytes `produce` will write, if known.
    ///   - produce: Writes the body. It may call ``ResponseBodyWriter/finish(trailers:)`` to
    ///     send trailers; otherwise the server finishes the body when it returns.
    public init(length: Int? = nil, produce: @escaping @Sendable (any ResponseBodyWriter) async throws -> Void) {
        self.length = length
        self.produce = produce
    }

    /// A streaming body of unknown length, unless `length` says it.
    public static func stream(
        length: Int? = nil,
        _ produce: @escaping @Sendable (any ResponseBodyWriter) async throws -> Void
    ) -> ResponseBody {
        ResponseBody(length: length, produce: produce)
    }

    /// A body of the given bytes.
    public init(bytes: [UInt8]) {
        self.init(length: bytes.count) { writer in
            if !bytes.isEmpty { try await writer.write(bytes) }
        }
    }

    /// A body of the text in UTF-8.
    public init(_ text: String) {
        self.init(bytes: Array(text.utf8))
    }

    /// A body with no bytes.
    public static let empty = ResponseBody(bytes: [])

    /// Runs the body's producer against a writer. Servers call this once.
    public func write(to writer: any ResponseBodyWriter) async throws {
        try await produce(writer)
    }
}

extension ResponseBody: ExpressibleByStringLiteral {
    /// A body of the literal's UTF-8 bytes.
    public init(stringLiteral value: String) {
        self.init(value)
    }
}
