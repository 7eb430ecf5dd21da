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

    private let content: Content

    /// What the body is made of. Bytes in hand are kept as they are, not wrapped in a
    /// producer, so a server can send them with the head in one write and no closure is
    /// allocated per response.
    private enum Content {
        case bytes([UInt8])
        case producer(@Sendable (any ResponseBodyWriter) async throws -> Void)
    }

    /// Creates a body that runs `produce` when the server is ready for it.
    ///
    /// - Parameters:
    ///   - length: How many bytes `produce` will write, if known.
    ///   - produce: Writes the body. It may call ``ResponseBodyWriter/finish(trailers:)`` to
    ///     send trailers; otherwise the server finishes the body when it returns.
    public init(length: Int? = nil, produce: @escaping @Sendable (any ResponseBodyWriter) async throws -> Void) {
        self.length = length
        content = .producer(produce)
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
        length = bytes.count
        content = .bytes(bytes)
    }

    /// A body of the text in UTF-8.
    public init(_ text: String) {
        self.init(bytes: Array(text.utf8))
    }

    /// A body with no bytes.
    public static let empty = ResponseBody(bytes: [])

    /// Runs the body's producer against a writer. Servers call this once.
    public func write(to writer: any ResponseBodyWriter) async throws {
        switch content {
        case let .bytes(bytes): if !bytes.isEmpty { try await writer.write(bytes) }
        case let .producer(produce): try await produce(writer)
        }
    }

    /// The body's bytes when they are in hand (``init(bytes:)``, text), `nil` for a producer.
    package var bytesInHand: [UInt8]? {
        if case let .bytes(bytes) = content { bytes } else { nil }
    }
}

extension ResponseBody: ExpressibleByStringLiteral {
    /// A body of the literal's UTF-8 bytes.
    public init(stringLiteral value: String) {
        self.init(value)
    }
}
