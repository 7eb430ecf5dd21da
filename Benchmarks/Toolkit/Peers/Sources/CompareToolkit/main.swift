// The comparison API (Docs/toolkit-comparison.md) on the toolkit.
import Sluice
import SluiceJSON
import SluiceServe
import SluiceToolkit
import Synchronization

struct Note: Codable, Sendable {
    var id: Int?
    var title: String
}

let store = Mutex<(next: Int, notes: [Int: Note])>((1, [:]))

var router = Router()
router.get("/notes") { _ in
    try .json(store.withLock { $0.notes.values.sorted { $0.id! < $1.id! } })
}
router.post("/notes") { request in
    var note = try await request.decode(Note.self)
    guard !note.title.isEmpty else { throw HTTPError.invalid(["title": "must not be empty"]) }
    note.id = store.withLock { state in
        defer { state.next += 1 }
        state.notes[state.next] = Note(id: state.next, title: note.title)
        return state.next
    }
    return try .json(note, status: .created, headers: ["Location": try request.url(for: "note", ["id": note.id!])])
}
router.get("/notes/:id", name: "note") { request in
    let id = try request.parameters.require("id", as: Int.self)
    guard let note = store.withLock({ $0.notes[id] }) else { throw HTTPError(.notFound) }
    return try .json(note)
}
router.delete("/notes/:id") { request in
    let id = try request.parameters.require("id", as: Int.self)
    guard store.withLock({ $0.notes.removeValue(forKey: id) }) != nil else { throw HTTPError(.notFound) }
    return Response(status: .noContent)
}
serve(router)
