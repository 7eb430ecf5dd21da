// Orders: what a client asks for (JSON in) and what it costs (JSON out).

import Hummingbird

/// An order as the client sends it.
struct OrderRequest: Decodable {
    /// One line: a book and how many copies.
    struct Item: Decodable {
        var bookID: Int
        var quantity: Int
    }

    var items: [Item]
}

/// An order as the shop prices it.
struct Order: SortedJSONResponse {
    /// One priced line.
    struct Line: Encodable {
        var bookID: Int
        var title: String
        var quantity: Int
        var cents: Int
    }

    var lines: [Line]
    var totalCents: Int

    /// Prices `request`.
    ///
    /// - Throws: `HTTPError` 422 for an empty order, a quantity below 1 or above 100, or a
    ///   book the shop does not sell.
    init(pricing request: OrderRequest) throws {
        guard !request.items.isEmpty else { throw HTTPError(.unprocessableContent, message: "an order needs at least one item") }
        lines = try request.items.map { item in
            guard (1...100).contains(item.quantity) else {
                throw HTTPError(.unprocessableContent, message: "quantity \(item.quantity) is not between 1 and 100")
            }
            guard let book = Catalog.book(item.bookID) else {
                throw HTTPError(.unprocessableContent, message: "the shop sells no book \(item.bookID)")
            }
            return Line(bookID: book.id, title: book.title, quantity: item.quantity, cents: book.priceCents * item.quantity)
        }
        totalCents = lines.reduce(0) { $0 + $1.cents }
    }
}
