// The comparison API (Docs/toolkit-comparison.md) on Hummingbird 2.
import Hummingbird
import Synchronization

struct Note: ResponseCodable {
    var id: Int?
    var title: String
}

let store = Mutex<(next: Int, notes: [Int: Note])>((1, [:]))

let router = Router()
router.get("/notes") { _, _ in
    store.withLock { $0.notes.values.sorted { $0.id! < $1.id! } }
}
router.post("/notes") { request, context -> EditedResponse<Note> in
    var note = try await request.decode(as: Note.self, context: context)
    guard !note.title.isEmpty else { throw HTTPError(.unprocessableContent, message: "title must not be empty") }
    note.id = store.withLock { state in
        defer { state.next += 1 }
        state.notes[state.next] = Note(id: state.next, title: note.title)
        return state.next
    }
    return EditedResponse(status: .created, headers: [.location: "/notes/\(note.id!)"], response: note)
}
router.get("/notes/:id") { _, context -> Note in
    let id = try context.parameters.require("id", as: Int.self)
    guard let note = store.withLock({ $0.notes[id] }) else { throw HTTPError(.notFound) }
    return note
}
router.delete("/notes/:id") { _, context -> HTTPResponse.Status in
    let id = try context.parameters.require("id", as: Int.self)
    guard store.withLock({ $0.notes.removeValue(forKey: id) }) != nil else { throw HTTPError(.notFound) }
    return .noContent
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 8080)))
try await app.runService()
