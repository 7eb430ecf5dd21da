// The bookshop in-process: the Hummingbird router on HummingbirdApp, through SluiceTesting.

import Bookshop
import Foundation
import SluiceHummingbird
import SluiceTesting
import Testing

@Suite("The bookshop, in-process")
struct BookshopTests {
    static let client = TestClient(HummingbirdApp(buildBookshopRouter(context: SluiceRequestContext.self)))

    @Test(
        "every route answers as the router says, with the middleware's header",
        arguments: zip(
            BookshopRequest.all,
            [200, 200, 200, 200, 404, 400, 404, 201, 422, 400, 200]
        ))
    func routes(request: BookshopRequest, status: Int) async throws {
        let response = try await request.send(with: Self.client)
        #expect(response.status.code == status)
        #expect(response.headers["API-Version"] == "1")
    }

    @Test("JSON out: a book")
    func book() async throws {
        let response = try await Self.client.get("/books/4").send()
        #expect(response.headers["Content-Type"] == "application/json; charset=utf-8")
        let book = try JSONDecoder().decode(Book.self, from: Data(response.body))
        #expect(book == Book(id: 4, title: "Literate Programming", author: "Donald Knuth", priceCents: 3_100))
    }

    @Test("JSON in and out: an order, priced")
    func order() async throws {
        struct Priced: Decodable { var totalCents: Int }
        let response = try await BookshopRequest.all[7].send(with: Self.client)
        #expect(try JSONDecoder().decode(Priced.self, from: Data(response.body)).totalCents == 2 * 4_250 + 3_100)
    }

    @Test(
        "[ERR-3] hostile targets get a 4xx, never a 5xx",
        arguments: [
            "/books/%", "/books/%zz", "/books/%00", "/books/99999999999999999999999", "/books/-1", "/books/1%2F2",
            "/books/..%2f..%2fetc%2fpasswd", "/" + Array(repeating: "books", count: 2_000).joined(separator: "/"),
            "/books?author=%", "/books?author=" + String(repeating: "x", count: 10_000),
        ])
    func hostileTarget(target: String) async throws {
        let response = try await Self.client.get(target).send()
        #expect((200..<500).contains(response.status.code), "\(response.status) \(response.text)")
    }

    @Test("[MOUNT-2] mounted at /shop, the same routes answer")
    func mounted() async throws {
        let response = try await Self.client.get("/shop/books/1").mounted(at: "/shop").send()
        #expect(response.status == .ok)
    }

    @Test("[RESP-9] the catalog streams, a line at a time")
    func catalog() async throws {
        let response = try await Self.client.get("/catalog.csv").send()
        #expect(response.text.hasPrefix("id,title,author,price_cents\n1,"))
        #expect(response.flushOffsets.count == 5)
        #expect(response.headers["Content-Length"] == nil)
    }
}
