// The notes blueprint: a user's own notes, listed, created, read, replaced and deleted.

import Sluice

/// `/notes` (GET lists, POST creates) and `/notes/<id>` (GET, PUT, DELETE), for the current
/// user only: another user's note is 404, as if it did not exist.
let notesAPI = Resource(
    requiresUser: true,
    collection: [
        .get: { request in
            let user = try request.requireUser()
            let rows = try request.database().query(
                "SELECT id, title, body FROM notes WHERE owner = ? ORDER BY id",
                [.integer(user.id)]
            )
            return JSONReply(rows.compactMap(Note.init(row:)))
        },
        .post: { request in
            let user = try request.requireUser()
            let input = try await request.decodedBody(as: NoteInput.self).validated()
            let rows = try request.database().query(
                "INSERT INTO notes (owner, title, body) VALUES (?, ?, ?) RETURNING id, title, body",
                [.integer(user.id), .text(input.title), .text(input.body)]
            )
            guard let note = rows.first.flatMap(Note.init(row:)) else { throw DatabaseError.noRowReturned }
            // The location is below scriptName, wherever the blueprint is mounted (Spec MOUNT-2).
            return JSONReply(status: .created, note, headers: ["Location": "\(request.scriptName)/\(note.id)"])
        },
    ],
    item: [
        .get: { request, id in
            let user = try request.requireUser()
            let rows = try request.database().query(
                "SELECT id, title, body FROM notes WHERE id = ? AND owner = ?",
                [.integer(id), .integer(user.id)]
            )
            guard let note = rows.first.flatMap(Note.init(row:)) else { throw APIError.notFound }
            return JSONReply(note)
        },
        .put: { request, id in
            let user = try request.requireUser()
            let input = try await request.decodedBody(as: NoteInput.self).validated()
            let rows = try request.database().query(
                "UPDATE notes SET title = ?, body = ? WHERE id = ? AND owner = ? RETURNING id, title, body",
                [.text(input.title), .text(input.body), .integer(id), .integer(user.id)]
            )
            guard let note = rows.first.flatMap(Note.init(row:)) else { throw APIError.notFound }
            return JSONReply(note)
        },
        .delete: { request, id in
            let user = try request.requireUser()
            let rows = try request.database().query(
                "DELETE FROM notes WHERE id = ? AND owner = ? RETURNING id",
                [.integer(id), .integer(user.id)]
            )
            guard !rows.isEmpty else { throw APIError.notFound }
            return .noContent
        },
    ]
)
