// The bookshop's router on Hummingbird's own server, listening on 127.0.0.1:PORT (default 8080):
// what Benchmarks/Hummingbird/run.sh compares Sluice behind nginx with.

import Bookshop
import Hummingbird

let port = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 8080
let application = Application(
    router: buildBookshopRouter(context: BasicRequestContext.self),
    configuration: .init(address: .hostname("127.0.0.1", port: port))
)
try await application.runService()
