// Request-scoped values computed by async code, once per request.

import Sluice
import SluiceTesting
import SluiceToolkit
import Synchronization
import Testing

@Suite("Request-scoped async values")
struct RequestContextAsyncTests {
    enum CurrentUser: StorageKey { typealias Value = String }

    /// An actor standing for a database: each lookup counted.
    actor Users {
        var lookups = 0
        func find(_ token: String) async throws -> String {
            lookups += 1
            try await Task.sleep(for: .milliseconds(20))
            guard token == "good" else { throw HTTPError(.unauthorized) }
            return "ada"
        }
    }

    @Test("[APP-6] computed once per request however many tasks ask at once, again for the next request")
    func once() async throws {
        let users = Users()
        let app = App { request in
            async let first = request.context.lazyValue(for: CurrentUser.self) { try await users.find("good") }
            async let second = request.context.lazyValue(for: CurrentUser.self) { try await users.find("good") }
            let third = try await request.context.lazyValue(for: CurrentUser.self) { try await users.find("good") }
            return .text("\(try await first) \(try await second) \(third) \(request.context[CurrentUser.self] ?? "-")")
        }
        let client = TestClient(app)
        #expect(try await client.get("/").send().text == "ada ada ada ada")
        #expect(await users.lookups == 1)
        _ = try await client.get("/").send()
        #expect(await users.lookups == 2)
    }

    @Test("a failure is the request's result too: not computed again, every caller gets it")
    func failure() async throws {
        let users = Users()
        let app = App { request in
            var errors = 0
            for _ in 0..<3 {
                do { _ = try await request.context.lazyValue(for: CurrentUser.self) { try await users.find("bad") } } catch { errors += 1 }
            }
            return .text("\(errors)")
        }
        #expect(try await TestClient(app).get("/").send().text == "3")
        #expect(await users.lookups == 1)
    }

    enum MaybeUser: StorageKey { typealias Value = String? }

    @Test("an optional value computed as nil is remembered as computed")
    func optionalValue() async throws {
        let counter = Mutex(0)
        let app = App { request in
            for _ in 0..<3 {
                _ = try await request.context.lazyValue(for: MaybeUser.self) {
                    await Task.yield()
                    counter.withLock { $0 += 1 }
                    return nil
                }
            }
            return .text("ok")
        }
        _ = try await TestClient(app).get("/").send()
        #expect(counter.withLock { $0 } == 1)
    }

    @Test("[APP-4] code deep in the call stack reaches the same value through RequestContext.current")
    func current() async throws {
        let counter = Mutex(0)
        @Sendable func loadDeep() async throws -> String {
            try await RequestContext.current!.lazyValue(for: CurrentUser.self) {
                await Task.yield()
                counter.withLock { $0 += 1 }
                return "deep"
            }
        }
        let app = App { _ in .text(try await loadDeep() + (try await loadDeep())) }
        #expect(try await TestClient(app).get("/").send().text == "deepdeep")
        #expect(counter.withLock { $0 } == 1)
    }
}
