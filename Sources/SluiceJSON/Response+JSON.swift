// Writing an Encodable value as a JSON response.

public import Sluice

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

extension Response {
    /// A response whose body is `value` encoded as JSON (`Content-Type: application/json`).
    ///
    /// ```swift
    /// return try .json(note, status: .created, headers: ["Location": request.url(for: "note", ["id": note.id])])
    /// ```
    ///
    /// - Throws: The encoder's error, for a value that cannot be encoded (a programming error:
    ///   the client gets a 500).
    public static func json(
        _ value: some Encodable,
        status: Status = .ok,
        headers: Headers = Headers(),
        encoder: JSONEncoder = JSONResponse.encoder
    ) throws -> Response {
        var response = Response(status: status, headers: headers, body: ResponseBody(bytes: Array(try encoder.encode(value))))
        response.headers["Content-Type"] = "application/json"
        return response
    }
}

/// Defaults for JSON responses.
public enum JSONResponse {
    /// The encoder ``Response/json(_:status:headers:encoder:)`` uses unless given another: `/`
    /// is not escaped, so links read as they are.
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()
}
