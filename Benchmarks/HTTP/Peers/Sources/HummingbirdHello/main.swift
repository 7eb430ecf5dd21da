// Hello on Hummingbird 2, the main peer.
//
//     HummingbirdHello PORT

import Hummingbird

let port = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 8080
let router = Router()
router.get("**") { request, _ -> String in
    "Hello from \(request.uri.path)\n"
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
