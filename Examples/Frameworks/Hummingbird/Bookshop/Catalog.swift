// The bookshop's books: a fixed catalog, so that every process answers alike (CGI included).

/// A book for sale.
public struct Book: Codable, Equatable, Sendable, SortedJSONResponse {
    /// The book's number in the catalog.
    public var id: Int
    /// Its title.
    public var title: String
    /// Its author.
    public var author: String
    /// Its price, in cents.
    public var priceCents: Int

    /// Describes a book.
    public init(id: Int, title: String, author: String, priceCents: Int) {
        self.id = id
        self.title = title
        self.author = author
        self.priceCents = priceCents
    }
}

/// Books, sent as `{"books": [...]}`.
struct BookList: SortedJSONResponse {
    var books: [Book]
}

/// The books the shop sells. Fixed, not a database: the example shows routing, not storage.
enum Catalog {
    static let books = [
        Book(id: 1, title: "The Pragmatic Programmer", author: "Andrew Hunt", priceCents: 4_250),
        Book(id: 2, title: "Structure and Interpretation of Computer Programs", author: "Harold Abelson", priceCents: 5_500),
        Book(id: 3, title: "The Art of Computer Programming", author: "Donald Knuth", priceCents: 19_900),
        Book(id: 4, title: "Literate Programming", author: "Donald Knuth", priceCents: 3_100),
    ]

    /// The book with `id`, if the shop sells it.
    static func book(_ id: Int) -> Book? {
        books.first { $0.id == id }
    }
}
