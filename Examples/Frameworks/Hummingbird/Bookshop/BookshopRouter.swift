// The bookshop's routes: a Hummingbird router of the tutorial's shape, for any request context.

public import Hummingbird

/// The bookshop's router: routes with parameters, JSON in and out, middleware, and a 404 for
/// anything else.
///
/// JSON goes out with sorted keys (``SortedJSONResponse``). Generic over the request context, so the same routes run on Sluice
/// (`SluiceRequestContext`) and on Hummingbird's own server (`BasicRequestContext`).
///
/// - `GET /` — a greeting, as text.
/// - `GET /books?author=NAME` — the catalog as JSON (`{"books": [...]}`), optionally one
///   author's books.
/// - `GET /books/:id` — one book as JSON; 404 when the shop does not sell it.
/// - `POST /orders` — prices an order (`{"items": [{"bookID": 1, "quantity": 2}]}`): 201
///   with the priced order as JSON, 400 for a body that is not an order, 422 for one the
///   shop cannot fill.
/// - `GET /catalog.csv` — the catalog as CSV, streamed a line at a time.
public func buildBookshopRouter<Context: RequestContext>(context: Context.Type) -> Router<Context> {
    let router = Router(context: Context.self)
    // One line per request at debug: logged only where the logger's level lets it through.
    router.add(middleware: LogRequestsMiddleware(.debug))
    router.add(middleware: APIVersionMiddleware())
    router.get("/") { _, _ in
        "Welcome to the bookshop!\n"
    }
    router.get("/books") { request, _ -> BookList in
        guard let author = request.uri.queryParameters["author"] else { return BookList(books: Catalog.books) }
        return BookList(books: Catalog.books.filter { $0.author == author })
    }
    router.get("/books/:id") { _, context -> Book in
        let id = try context.parameters.require("id", as: Int.self)
        guard let book = Catalog.book(id) else { throw HTTPError(.notFound, message: "the shop sells no book \(id)") }
        return book
    }
    router.post("/orders") { request, context -> EditedResponse<Order> in
        let order = try Order(pricing: try await request.decode(as: OrderRequest.self, context: context))
        return EditedResponse(status: .created, response: order)
    }
    router.get("/catalog.csv") { _, _ in
        Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8"],
            body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "id,title,author,price_cents\n"))
                for book in Catalog.books {
                    try await writer.write(ByteBuffer(string: "\(book.id),\"\(book.title)\",\(book.author),\(book.priceCents)\n"))
                }
                try await writer.finish(nil)
            }
        )
    }
    return router
}
