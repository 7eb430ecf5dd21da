// A WebSocket echo server: every text and binary message comes back as it was sent. One binary
// through serve(app), like the other examples; WebSocket needs the standalone server (under CGI
// or FastCGI a client gets 501, Spec WS-4).
//
//     swift run echo                     # ws://127.0.0.1:8080/
//     python3 -m websockets ws://127.0.0.1:8080/
//
// See Docs/websocket.md.

import Sluice
import SluiceServe

let echo = App { request in
    guard request.webSocketHandshake != nil else {
        return .text("A WebSocket echo: connect with a WebSocket client to ws://\(request.serverName):\(request.serverPort)\(request.path)\n")
    }
    return .webSocket { socket in
        for try await message in socket.messages where message.isData {
            try await socket.send(message)
        }
    }
}

serve(echo)
