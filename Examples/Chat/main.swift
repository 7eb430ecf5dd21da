// A chat room over WebSocket: every text message a client sends goes to every client in the
// room, its own included. Each member has an outbox of its own, drained by its own task, so a
// client that reads slowly loses its oldest lines instead of holding up the room. One binary
// through serve(app); the standalone server carries WebSocket (under CGI or FastCGI it answers
// that it cannot, Spec WS-1).
//
//     swift run chat                                # ws://127.0.0.1:8080/
//     python3 -m websockets ws://127.0.0.1:8080/    # in two terminals or more
//
// See Docs/websocket.md.

import Sluice
import SluiceServe

/// The members of the room, each as the outbox its session sends from.
actor Room {
    private var outboxes: [Int: AsyncStream<String>.Continuation] = [:]
    private var lastID = 0

    /// A new member's number and outbox; the outbox keeps the newest 100 lines not yet sent.
    func join() -> (id: Int, outbox: AsyncStream<String>) {
        let (outbox, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(100))
        lastID += 1
        outboxes[lastID] = continuation
        return (lastID, outbox)
    }

    /// Removes a member; its outbox ends.
    func leave(_ id: Int) {
        outboxes.removeValue(forKey: id)?.finish()
    }

    /// Puts `line` in every member's outbox.
    func broadcast(_ line: String) {
        for outbox in outboxes.values { outbox.yield(line) }
    }
}

let room = Room()

/// Relays between one member and the room until the member leaves.
func converse(_ socket: WebSocket, id: Int, outbox: AsyncStream<String>) async throws {
    try await withThrowingDiscardingTaskGroup { group in
        group.addTask {
            for await line in outbox { try await socket.send(line) }
        }
        for try await message in socket.messages {
            if case let .text(line) = message { await room.broadcast("\(id): \(line)") }
        }
        // The client closed: ending the outbox ends the task that sends from it.
        await room.leave(id)
    }
}

let chat = App { request in
    guard request.capabilities.supportsWebSocket else {
        return .text("This chat needs a server that carries WebSocket: run it standalone.\n", status: 501)
    }
    guard request.webSocketHandshake != nil else {
        return .text("A chat room: connect with a WebSocket client to ws://\(request.serverName):\(request.serverPort)\(request.path)\n")
    }
    return .webSocket { socket in
        let (id, outbox) = await room.join()
        await room.broadcast("\(id) joined")
        do {
            try await converse(socket, id: id, outbox: outbox)
        } catch {
            await room.leave(id)
            await room.broadcast("\(id) left")
            throw error
        }
        await room.broadcast("\(id) left")
    }
}

serve(chat)
