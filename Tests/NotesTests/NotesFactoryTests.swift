// The app factory and the request's resources: isolation, one handle, one user lookup.

import Sluice
import SluiceTesting
import Testing

@Suite("The notes app factory")
struct NotesFactoryTests {
    @Test("[APP-5] two apps from the factory, in one process, keep their titles and databases apart")
    func twoApps() async throws {
        try await withNotesApp(title: "Work") { work in
            try await withNotesApp(title: "Home") { home in
                #expect(try json(try await work.get("/").send())["title"] as? String == "Work")
                #expect(try json(try await home.get("/").send())["title"] as? String == "Home")

                let token = try await work.register("ada")
                _ = try await work.post("/notes").authorized(token).json(#"{"title": "at work"}"#).send()
                #expect(try await home.get("/notes").authorized(token).send().status == .unauthorized)

                let homeToken = try await home.register("ada")
                #expect(try jsonArray(try await home.get("/notes").authorized(homeToken).send()).isEmpty)
                #expect(try jsonArray(try await work.get("/notes").authorized(token).send()).count == 1)
            }
        }
    }

    @Test("[APP-6][LIFE-3] a request opens its database handle only when used, once, and closes it at completion")
    func handlePerRequest() async throws {
        let events = EventLog()
        try await withNotesApp(events: events) { client in
            let token = try await client.register("ada")
            #expect(events.count(.databaseOpened) == 1)
            #expect(events.count(.databaseClosed) == 1)

            events.reset()
            _ = try await client.get("/").send()
            #expect(events.count(.databaseOpened) == 0)

            events.reset()
            let created = try await client.post("/notes").authorized(token).json(#"{"title": "one"}"#).send()
            #expect(created.status == .created)
            #expect(events.count(.databaseOpened) == 1)
            #expect(events.count(.databaseClosed) == 1)
        }
    }

    @Test("[APP-6] the current user is looked up once per request, though the blueprint and the handler both ask")
    func userLoadedOnce() async throws {
        let events = EventLog()
        try await withNotesApp(events: events) { client in
            let token = try await client.register("ada")
            events.reset()
            _ = try await client.get("/notes").authorized(token).send()
            #expect(events.count(.userLoaded) == 1)
            events.reset()
            _ = try await client.get("/notes").send()
            #expect(events.count(.userLoaded) == 0)
        }
    }
}
