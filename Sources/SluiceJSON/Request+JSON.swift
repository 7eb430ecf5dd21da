// Reading a JSON request body into a Decodable value, with the errors a JSON API owes.

public import Sluice
import SluiceToolkit

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

extension Request {
    /// The body decoded as JSON into `type`.
    ///
    /// - Throws: ``HTTPError`` 415 unless `Content-Type` is `application/json` or a `+json`
    ///   type; 413 past `limit` bytes (1 MiB by default); 400 saying what is wrong for a body
    ///   that is not JSON, or not the JSON `type` takes (a missing field, a wrong type).
    public func decode<Value: Decodable>(
        _ type: Value.Type = Value.self,
        limit: Int = 1 << 20,
        decoder: JSONDecoder = JSONDecoder()
    ) async throws -> Value {
        guard mediaType?.isJSON == true else {
            throw HTTPError(.unsupportedMediaType, detail: "the body must be JSON (Content-Type: application/json)")
        }
        let bytes: [UInt8]
        do {
            bytes = try await body.collect(upTo: limit)
        } catch RequestBodyError.tooLarge {
            throw HTTPError(.contentTooLarge, detail: "the body is larger than \(limit) bytes")
        }
        do {
            return try decoder.decode(type, from: Data(bytes))
        } catch let error as DecodingError {
            throw HTTPError(.badRequest, detail: JSONProblem.describe(error))
        }
    }
}

/// Sentences for decoding errors that a client can act on.
enum JSONProblem {
    /// What is wrong with the body, naming the field where there is one.
    static func describe(_ error: DecodingError) -> String {
        switch error {
        case let .keyNotFound(key, context):
            "the field \(path(context.codingPath + [key])) is missing"
        case let .typeMismatch(type, context):
            "the field \(path(context.codingPath)) must be \(name(of: type))"
        case let .valueNotFound(type, context):
            "the field \(path(context.codingPath)) must be \(name(of: type)), not null"
        case let .dataCorrupted(context):
            context.codingPath.isEmpty ? "the body is not valid JSON" : "the field \(path(context.codingPath)) is invalid"
        @unknown default:
            "the body is not the JSON this endpoint takes"
        }
    }

    /// A coding path as `notes[2].title`, or `the body` for the top level.
    private static func path(_ keys: [any CodingKey]) -> String {
        guard !keys.isEmpty else { return "at the top level" }
        var text = ""
        for key in keys {
            if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
        }
        return "'\(text)'"
    }

    /// A JSON name for a Swift type: a string, a number, an object …
    private static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is any BinaryInteger.Type: "an integer"
        case is any BinaryFloatingPoint.Type: "a number"
        case _ where String(describing: type).hasPrefix("Dictionary"): "an object"
        case is any Sequence.Type: "an array"
        default: "an object"
        }
    }
}
