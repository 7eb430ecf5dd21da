// The notes blueprint: a user's own notes, and a file attached to each.

import Sluice
import SluiceJSON
import SluiceToolkit

#if canImport(Glibc)
import Glibc
#endif

/// A note as the API returns it, and as a client sends it (every field may then be missing).
struct Note: Codable, Sendable {
    var id: Int64?
    var title: String?
    var body: String?
    var attachment: String?

    init?(row: [SQLValue]) {
        guard row.count == 4, let id = row[0].integer else { return nil }
        (self.id, title, body, attachment) = (id, row[1].text, row[2].text, row[3].text)
    }

    /// The title and body trimmed, or a 422 naming each invalid field.
    func validated() throws -> [SQLValue] {
        let title = String((title ?? "").drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        let problem = self.title == nil ? "is required" : title.isEmpty ? "must not be empty" : title.count > 200 ? "must be at most 200 characters" : nil
        if let problem { throw HTTPError.invalid(["title": problem]) }
        return [.text(title), .text(body ?? "")]
    }
}

/// `/notes` (GET lists, POST creates), `/notes/<id>` (GET, PUT, DELETE) and
/// `/notes/<id>/attachment` (PUT uploads a file, GET downloads it, with ranges), for the
/// current user only: another user's note is 404, as if it did not exist.
var notes: Router {
    var notes = Router()
    notes.before { request in _ = try await request.requireUser() }
    notes.get("/", name: "notes") { request in
        let rows = try request.database().query("SELECT \(columns) FROM notes WHERE owner = ? ORDER BY id", [.integer(try await request.requireUser().id)])
        return try .json(rows.compactMap(Note.init))
    }
    notes.post("/") { request in
        let values = try await request.decode(Note.self).validated() + [.integer(try await request.requireUser().id)]
        let note = try request.database().query("INSERT INTO notes (title, body, owner) VALUES (?, ?, ?) RETURNING \(columns)", values).compactMap(Note.init)[0]
        return try .json(note, status: .created, headers: ["Location": try request.url(for: "note", ["id": note.id!])])
    }
    notes.get("/:id", name: "note") { request in try .json(try await request.note()) }
    notes.put("/:id") { request in
        let values = try await request.decode(Note.self).validated()
        return try .json(try await request.note(update: "title = ?, body = ?", values))
    }
    notes.delete("/:id") { request in
        let note = try await request.note()
        _ = try request.database().query("DELETE FROM notes WHERE id = ?", [.integer(note.id!)])
        unlink(request.attachmentPath(of: note))
        return Response(status: .noContent)
    }
    notes.put("/:id/attachment") { request in
        let note = try await request.note()
        let form = try await request.form(multipartLimits: MultipartLimits(maxBytes: 16 << 20), uploadDirectory: request.notes.attachments)
        guard let file = form.file("file") else { throw HTTPError.invalid(["file": "is required"]) }
        try file.move(to: request.attachmentPath(of: note))
        return try .json(try await request.note(update: "attachment = ?", [.text(file.filename ?? "attachment")]))
    }
    notes.get("/:id/attachment") { request in
        let note = try await request.note()
        guard let name = note.attachment else { throw HTTPError(.notFound, detail: "note \(note.id!) has no attachment") }
        return try .file(at: request.attachmentPath(of: note), for: request, downloadName: name)
    }
    return notes
}

/// The columns a ``Note`` is read from.
private let columns = "id, title, body, attachment"

extension Request {
    /// The current user's note the path names, changed by `assignments` first if given; 404 for none.
    fileprivate func note(update assignments: String? = nil, _ values: [SQLValue] = []) async throws -> Note {
        let id = try parameters.require("id", as: Int64.self)
        let owner = try await requireUser().id
        let sql =
            assignments.map { "UPDATE notes SET \($0) WHERE id = ? AND owner = ? RETURNING \(columns)" }
            ?? "SELECT \(columns) FROM notes WHERE id = ? AND owner = ?"
        guard let note = try database().query(sql, values + [.integer(id), .integer(owner)]).first.flatMap(Note.init) else {
            throw HTTPError(.notFound, detail: "you have no note \(id)")
        }
        return note
    }

    /// Where a note's attachment is kept.
    fileprivate func attachmentPath(of note: Note) -> String { "\(notes.attachments)/\(note.id!)" }
}
