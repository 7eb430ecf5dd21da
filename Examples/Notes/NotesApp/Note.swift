// A note, the input that creates or replaces one, and the rules that input must follow.

import Foundation

/// A note as the API returns it.
struct Note: Codable, Sendable, Hashable {
    var id: Int64
    var title: String
    var body: String

    /// A note from a `SELECT id, title, body` row.
    init?(row: [SQLValue]) {
        guard row.count == 3, let id = row[0].integer, let title = row[1].text, let body = row[2].text else { return nil }
        self.id = id
        self.title = title
        self.body = body
    }
}

/// The JSON a client sends to create or replace a note; every field may be missing or wrong.
struct NoteInput: Decodable, Sendable {
    var title: String?
    var body: String?

    /// The longest title accepted, in characters.
    static let longestTitle = 200

    /// The title and body, trimmed, or a 422 naming every invalid field.
    func validated() throws -> (title: String, body: String) {
        var errors: [String: String] = [:]
        let title = (title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if self.title == nil {
            errors["title"] = "is required"
        } else if title.isEmpty {
            errors["title"] = "must not be empty"
        } else if title.count > NoteInput.longestTitle {
            errors["title"] = "must be at most \(NoteInput.longestTitle) characters"
        }
        guard errors.isEmpty else { throw APIError.invalid(errors) }
        return (title, body ?? "")
    }
}
