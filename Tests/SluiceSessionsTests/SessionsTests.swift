// Signed sessions: round trips, key rotation, expiry, size limits, and forged cookies.

import Sluice
import SluiceSessions
import SluiceTesting
import SluiceToolkit
import Synchronization
import Testing

@Suite("Signed sessions")
struct SessionsTests {
    static let oldKey = SessionKey([UInt8](repeating: 1, count: 32))
    static let newKey = SessionKey([UInt8](repeating: 2, count: 32))

    /// A clock a test moves.
    final class Clock: Sendable {
        private let seconds = Mutex(1_800_000_000)
        var now: Int { seconds.withLock { $0 } }
        func advance(_ by: Int) { seconds.withLock { $0 += by } }
    }

    /// `/login?user=…` signs in, `/logout` signs out, `/who` says who is signed in.
    static func app(keys: [SessionKey], clock: Clock, maxAge: Int = 3600, maxCookieBytes: Int = 4096) -> any Application {
        var router = Router()
        router.get("/login") { request in
            request.session["user"] = try request.query()["user"]
            return .text("hello\n")
        }
        router.get("/logout") { request in
            request.session.clear()
            return .text("bye\n")
        }
        router.get("/who") { request in .text(request.session["user"] ?? "nobody") }
        router.get("/static") { _ in .text("no session used") }
        let sessions = Sessions(keys: keys, maxAge: maxAge, maxCookieBytes: maxCookieBytes, now: { clock.now })
        return router.wrapped(by: sessions.middleware)
    }

    /// The `name=value` of the session cookie a response sets, or `nil`.
    static func cookie(_ response: TestResponse) -> String? {
        response.headers.values(for: "Set-Cookie").first?.split(separator: ";").first.map(String.init)
    }

    @Test("signing in sets a signed cookie with the safe defaults; later requests carry the session")
    func roundTrip() async throws {
        let client = TestClient(Self.app(keys: [Self.newKey], clock: Clock()))
        let login = try await client.get("/login?user=ada%20l").scheme("https").send()
        let field = try #require(login.headers["Set-Cookie"])
        #expect(field.hasPrefix("session="))
        #expect(field.hasSuffix("; Path=/; Max-Age=3600; Secure; HttpOnly; SameSite=Lax"))
        #expect(login.headers["Vary"] == "Cookie")
        let cookie = try #require(Self.cookie(login))
        let who = try await client.get("/who").header("Cookie", cookie).send()
        #expect(who.text == "ada l")
        #expect(who.headers["Set-Cookie"] == nil)
        #expect(try await client.get("/static").header("Cookie", cookie).send().headers["Vary"] == nil)
        let logout = try await client.get("/logout").header("Cookie", cookie).send()
        #expect(logout.headers["Set-Cookie"]?.hasPrefix("session=; Path=/; Max-Age=0") == true)
    }

    @Test("key rotation: a cookie signed by the old key is accepted while it is listed, refused once dropped")
    func rotation() async throws {
        let clock = Clock()
        let old = try #require(Self.cookie(try await TestClient(Self.app(keys: [Self.oldKey], clock: clock)).get("/login?user=ada").send()))
        let rotated = TestClient(Self.app(keys: [Self.newKey, Self.oldKey], clock: clock))
        #expect(try await rotated.get("/who").header("Cookie", old).send().text == "ada")
        let resigned = try #require(Self.cookie(try await rotated.get("/login?user=bob").header("Cookie", old).send()))
        let dropped = TestClient(Self.app(keys: [Self.newKey], clock: clock))
        #expect(try await dropped.get("/who").header("Cookie", old).send().text == "nobody")
        #expect(try await dropped.get("/who").header("Cookie", resigned).send().text == "bob")
    }

    @Test("expiry: accepted until maxAge, refused one second after; re-signed past half of it")
    func expiry() async throws {
        let clock = Clock()
        let client = TestClient(Self.app(keys: [Self.newKey], clock: clock))
        let cookie = try #require(Self.cookie(try await client.get("/login?user=ada").send()))
        clock.advance(1800)
        #expect(try await client.get("/who").header("Cookie", cookie).send().headers["Set-Cookie"] == nil)
        clock.advance(1)
        let refreshed = try await client.get("/who").header("Cookie", cookie).send()
        #expect(refreshed.text == "ada")
        #expect(Self.cookie(refreshed) != nil)
        clock.advance(1799)
        #expect(try await client.get("/who").header("Cookie", cookie).send().text == "ada")
        clock.advance(1)
        #expect(try await client.get("/who").header("Cookie", cookie).send().text == "nobody")
    }

    @Test("forged, tampered, truncated, future and oversized cookies are no session", arguments: Array(0..<10))
    func forgeries(variant: Int) async throws {
        let clock = Clock()
        let client = TestClient(Self.app(keys: [Self.newKey], clock: clock, maxCookieBytes: 300))
        let cookie = try #require(Self.cookie(try await client.get("/login?user=ada").send()))
        let value = String(cookie.dropFirst("session=".count))
        let pieces = value.split(separator: ".").map(String.init)
        let forged: String =
            switch variant {
            case 0: "dXNlcj1hZG1pbg.\(clock.now).\(pieces[2])"  // another payload, the old signature
            case 1: "\(pieces[0]).\(clock.now + 1).\(pieces[2])"  // another time
            case 2: "\(pieces[0]).\(pieces[1]).\(pieces[2].dropLast())"  // a signature cut short
            case 3: "\(pieces[0]).\(pieces[1])"
            case 4: "\(pieces[0]).\(pieces[1]).\(pieces[2]).extra"
            case 5: "\(pieces[0]).-5.\(pieces[2])"
            case 6: String(repeating: "A", count: 400)
            case 7: "\(pieces[0]).99999999999999999999.\(pieces[2])"
            case 8: "\(pieces[0]).\(pieces[1]).\(pieces[2].replacingFirst(with: pieces[2].first == "A" ? "B" : "A"))"
            default: "...."
            }
        #expect(try await client.get("/who").header("Cookie", "session=\(forged)").send().text == "nobody", "variant \(variant)")
        let future = try #require(
            Self.cookie(
                try await TestClient(
                    Self.app(
                        keys: [Self.newKey],
                        clock: {
                            let c = Clock()
                            c.advance(3600)
                            return c
                        }())
                )
                .get("/login?user=eve").send()))
        #expect(try await client.get("/who").header("Cookie", future).send().text == "nobody")
    }

    @Test("a session that outgrows the cookie limit fails the response loudly (500, logged)")
    func tooLarge() async throws {
        let client = TestClient(Self.app(keys: [Self.newKey], clock: Clock(), maxCookieBytes: 200))
        #expect(try await client.get("/login?user=ada").send().status == .ok)
        let big = try await client.get("/login?user=\(String(repeating: "x", count: 200))").send()
        #expect(big.status == .internalServerError)
        #expect(big.loggedErrors.contains { $0.contains("session cookie would be") })
    }

    @Test("keys: base64 of 32 bytes or more, anything less is refused")
    func keys() {
        #expect(SessionKey(base64: "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=") != nil)
        #expect(SessionKey(base64: "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ==") == nil)  // 31 bytes
        #expect(SessionKey(base64: "not base64!") == nil)
    }
}

extension String {
    /// The string with its first character replaced.
    func replacingFirst(with character: Character) -> String {
        String(character) + dropFirst()
    }
}
