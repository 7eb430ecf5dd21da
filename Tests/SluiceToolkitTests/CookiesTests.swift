// Cookie parsing, and Set-Cookie built with safe defaults that refuse to inject.

import Sluice
import SluiceTesting
import SluiceToolkit
import Testing

@Suite("Cookies")
struct CookiesTests {
    static func request(scheme: String = "http", scriptName: String = "") -> Request {
        Request(method: .get, target: scriptName + "/", scriptName: scriptName, pathInfo: "/", scheme: scheme)
    }

    @Test("Cookie fields parse leniently, in order, quotes removed")
    func parsing() {
        let cookies = Cookies(parsing: ["a=1; b=\"two\"; junk; =nameless; a=3", "c = 4 ;d="])
        #expect(cookies["a"] == "1")
        #expect(cookies.values(for: "a") == ["1", "3"])
        #expect(cookies["b"] == "two")
        #expect(cookies["c"] == "4")
        #expect(cookies["d"] == "")
        #expect(cookies["junk"] == nil)
        #expect(cookies.all.count == 5)
    }

    @Test("the defaults: HttpOnly, SameSite=Lax, Path at the mount point, Secure only over https")
    func defaults() throws {
        #expect(try SetCookie(name: "a", value: "1").fieldValue(for: Self.request()) == "a=1; Path=/; HttpOnly; SameSite=Lax")
        #expect(
            try SetCookie(name: "a", value: "1").fieldValue(for: Self.request(scheme: "https", scriptName: "/my app"))
                == "a=1; Path=/my%20app; Secure; HttpOnly; SameSite=Lax")
        let custom = SetCookie(name: "t", value: "\"q\"", path: "/x", domain: "example.com", maxAge: 60, secure: false, httpOnly: false, sameSite: .strict)
        #expect(try custom.fieldValue(for: Self.request(scheme: "https")) == "t=\"q\"; Path=/x; Domain=example.com; Max-Age=60; SameSite=Strict")
        #expect(try SetCookie(name: "n", value: "v", sameSite: SetCookie.SameSite.none).fieldValue(for: Self.request()).contains("; Secure"))
        #expect(
            try SetCookie.deleting("a").fieldValue(for: Self.request())
                == "a=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax")
    }

    @Test(
        "names and values that would inject into the field are refused",
        arguments: [
            ("a b", "v"), ("a;b", "v"), ("", "v"), ("a\r\nSet-Cookie: x", "v"), ("a=", "v"),
            ("a", "v; Domain=evil.example"), ("a", "v\r\nX: y"), ("a", "two words"), ("a", "comma,"), ("a", "quote\"inside"), ("a", "back\\slash"),
            ("a", "ü"),
        ])
    func injection(name: String, value: String) {
        #expect(throws: CookieError.self) { try SetCookie(name: name, value: value).fieldValue(for: Self.request()) }
    }

    @Test("attributes that would inject are refused")
    func attributeInjection() throws {
        #expect(throws: CookieError.self) { try SetCookie(name: "a", value: "b", path: "/; Domain=evil").fieldValue(for: Self.request()) }
        #expect(throws: CookieError.self) { try SetCookie(name: "a", value: "b", domain: "x\r\nY: z").fieldValue(for: Self.request()) }
        // A mount point with a `;` in it is encoded, not refused.
        #expect(try SetCookie(name: "a", value: "b").fieldValue(for: Self.request(scriptName: "/a;b")).contains("Path=/a%3Bb;"))
    }

    @Test("setCookie adds one Set-Cookie field per cookie, through a real exchange")
    func throughAnExchange() async throws {
        let app = App { request in
            var response = Response.text("hi \(request.cookies["name"] ?? "nobody")\n")
            try response.setCookie(SetCookie(name: "seen", value: "1"), for: request)
            try response.setCookie(SetCookie(name: "theme", value: "dark", maxAge: 3600), for: request)
            return response
        }
        let response = try await TestClient(app).get("/").header("Cookie", "name=ada").send()
        #expect(response.text == "hi ada\n")
        #expect(response.headers.values(for: "Set-Cookie").count == 2)
    }
}
