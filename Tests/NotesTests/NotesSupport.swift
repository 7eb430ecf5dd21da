// Building notes apps on throwaway databases, and reading their JSON.

import Foundation
import NotesApp
import SluiceTesting
import Synchronization
import Testing

/// The events an app reported, in order.
final class EventLog: Sendable {
    private let events = Mutex<[NotesEvent]>([])

    func record(_ event: NotesEvent) { events.withLock { $0.append(event) } }

    func count(_ event: NotesEvent) -> Int { events.withLock { $0.filter { $0 == event }.count } }

    func reset() { events.withLock { $0.removeAll() } }
}

/// A notes app on a fresh database file in the temporary directory, started and served to
/// `body`, its file removed afterwards.
func withNotesApp<Value>(
    title: String = "Notes",
    events: EventLog = EventLog(),
    _ body: (TestClient) async throws -> Value
) async throws -> Value {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("notes-\(UUID().uuidString).sqlite3").path
    defer {
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.removeItem(atPath: path + ".attachments")
    }
    let app = makeNotesApp(NotesConfiguration(databasePath: path, title: title, observe: events.record))
    return try await TestClient.serving(app, body)
}

/// A response body as a JSON object.
func json(_ response: TestResponse) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
}

/// A response body as a JSON array of objects.
func jsonArray(_ response: TestResponse) throws -> [[String: Any]] {
    try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]])
}

extension TestClient {
    /// Registers a user and returns the token to authorize as them.
    func register(_ name: String) async throws -> String {
        let response = try await post("/users").header("Content-Type", "application/json").body(#"{"name": "\#(name)"}"#).send()
        #expect(response.status == .created)
        return try #require(try json(response)["token"] as? String)
    }
}

extension TestRequest {
    /// The request authorized as the user with `token`.
    func authorized(_ token: String) -> TestRequest {
        header("Authorization", "Bearer \(token)")
    }

    /// The request with a JSON body.
    func json(_ text: String) -> TestRequest {
        header("Content-Type", "application/json").body(text)
    }
}
