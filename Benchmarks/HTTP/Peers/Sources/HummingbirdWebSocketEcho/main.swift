// A WebSocket echo on hummingbird-websocket, the peer of Examples/Echo: every text and binary
// message comes back as it was sent. Text is checked as UTF-8 and messages may reach 1 MiB, as
// in Sluice (Spec: 1007, 1009), so that both servers do the same work.
//
//     HummingbirdWebSocketEcho PORT      # ws://127.0.0.1:PORT/

import Hummingbird
import HummingbirdWebSocket

let port = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 8080
let router = Router()
router.get("/") { _, _ -> String in
    "A WebSocket echo: connect with a WebSocket client\n"
}
let webSocketRouter = Router(context: BasicWebSocketRequestContext.self)
webSocketRouter.ws("/") { _, _ in
    .upgrade()
} onUpgrade: { inbound, outbound, _ in
    for try await message in inbound.messages(maxSize: 1 << 20) {
        switch message {
        case .text(let text): try await outbound.write(.text(text))
        case .binary(let bytes): try await outbound.write(.binary(bytes))
        }
    }
}
let app = Application(
    router: router,
    server: .http1WebSocketUpgrade(webSocketRouter: webSocketRouter, configuration: .init(ws: .init(maxFrameSize: 1 << 20, validateUTF8: true))),
    configuration: .init(address: .hostname("127.0.0.1", port: port))
)
try await app.runService()
