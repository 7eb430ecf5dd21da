// Decoding the probe's JSON with a failure that says what the bytes were.

import Foundation

/// Decodes JSON bodies, failing a case with the start of the body when they do not decode.
enum JSONValueDecoder {
    static func decode<Value: Decodable>(_ type: Value.Type, from body: [UInt8]) throws -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(body))
        } catch {
            throw CaseFailure(description: "not the probe's JSON: \(String(decoding: body.prefix(120), as: UTF8.self).debugDescription)")
        }
    }
}
