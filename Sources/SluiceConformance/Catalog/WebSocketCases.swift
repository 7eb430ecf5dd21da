// Cases for the WebSocket extension (Spec/websocket.md): the capability both ways, the
// handshake, refusals, messages, protocol errors, the closing handshake, and an upgrade not
// taken — against the probe's echo (Spec/probe.md §8).

extension ConformanceSuite {
    static let webSocketCases: [ConformanceCase] = [
        ConformanceCase(
            "ws-capability", ["WS-3", "WS-4", "REQ-14"],
            "Where supportsWebSocket is true a handshake completes with 101; where it is false it is refused with 501."
        ) { probe in
            let (response, _, connection) = try probe.openWebSocket()
            defer { connection.disconnect() }
            if probe.capabilities.supportsWebSocket == true {
                try expectEqual(response.status, 101, "the handshake's status")
                return "101 Switching Protocols, as supportsWebSocket true says"
            }
            try expectEqual(response.status, 501, "the handshake's status where supportsWebSocket is false")
            return "501 Not Implemented, as supportsWebSocket false says"
        },
        ConformanceCase(
            "ws-handshake", ["WS-2", "WS-5"],
            "The 101 carries Upgrade, Connection, RFC 6455's Sec-WebSocket-Accept, and Sec-WebSocket-Protocol only for a subprotocol offered and chosen."
        ) { probe in
            try probe.requireWebSocket()
            let (plain, _, first) = try probe.openWebSocket()
            first.disconnect()
            try expectEqual(plain.value("Upgrade")?.lowercased(), "websocket", "Upgrade")
            try expect(plain.values("Connection").joined(separator: ",").lowercased().contains("upgrade"), "Connection does not name upgrade")
            try expectEqual(plain.value("Sec-WebSocket-Accept"), WebSocketClient.sampleAccept, "Sec-WebSocket-Accept")
            try expectEqual(plain.value("Sec-WebSocket-Protocol"), nil, "Sec-WebSocket-Protocol when none was offered")
            try expectEqual(plain.value("Sec-WebSocket-Extensions"), nil, "Sec-WebSocket-Extensions")
            let (chosen, _, second) = try probe.openWebSocket("/_probe/websocket", [("Sec-WebSocket-Protocol", "other, probe.v1")])
            second.disconnect()
            try expectEqual(chosen.value("Sec-WebSocket-Protocol"), "probe.v1", "Sec-WebSocket-Protocol when probe.v1 was offered")
            return "101 with RFC 6455's accept value; probe.v1 chosen when offered, nothing otherwise"
        },
        ConformanceCase(
            "ws-refusals", ["WS-4"],
            "A plain GET of a WebSocket endpoint is answered 426 naming websocket; version 8, 426 with Sec-WebSocket-Version: 13; a short key, 400."
        ) { probe in
            try probe.requireWebSocket()
            let plain = try probe.exchange("GET", "/_probe/websocket")
            try expectEqual(plain.status, 426, "a plain GET's status")
            try expectEqual(plain.value("Upgrade")?.lowercased(), "websocket", "the 426's Upgrade")
            let (version, _, first) = try probe.openWebSocket("/_probe/websocket", [("Sec-WebSocket-Version", "8")])
            first.disconnect()
            try expectEqual(version.status, 426, "version 8's status")
            try expectEqual(version.value("Sec-WebSocket-Version"), "13", "the 426's Sec-WebSocket-Version")
            let (short, _, second) = try probe.openWebSocket("/_probe/websocket", [("Sec-WebSocket-Key", "c2hvcnQ=")])
            second.disconnect()
            try expectEqual(short.status, 400, "a short key's status")
            return "426, 426 with version 13, 400"
        },
        ConformanceCase(
            "ws-messages", ["WS-6", "WS-9"],
            "Text, binary, and text in fragments with a ping between them come back whole; the pong comes first, with the ping's payload."
        ) { probe in
            try probe.requireWebSocket()
            let (_, opened, connection) = try probe.openWebSocket()
            defer { connection.disconnect() }
            guard let socket = opened else { throw CaseFailure(description: "the handshake was refused") }
            try socket.send(text: "héllo")
            try expectEqual(try socket.receiveMessage()?.text, "héllo", "the echoed text")
            try socket.send(WebSocketFrame.binary, [0, 255, 7])
            try expectEqual(try socket.receiveMessage()?.payload, [0, 255, 7], "the echoed binary")
            try socket.send(text: "frag", fin: false)
            try socket.send(WebSocketFrame.ping, Array("between".utf8))
            try socket.send(0x0, Array("ments".utf8))
            let pong = try socket.receive()
            try expectEqual(pong?.opcode, WebSocketFrame.pong, "the frame after the ping")
            try expectEqual(pong?.text, "between", "the pong's payload")
            try expectEqual(try socket.receiveMessage()?.text, "fragments", "the joined fragments")
            try socket.send(close: 1000)
            return "text, binary and fragments echoed; the pong came first"
        },
        ConformanceCase(
            "ws-protocol-errors", ["WS-8"],
            "An unmasked frame is answered with close 1002, invalid UTF-8 with 1007, a message one byte over the limit with 1009."
        ) { probe in
            try probe.requireWebSocket()
            let limit = probe.target.maxWebSocketMessageBytes
            let cases: [(String, UInt16, (WebSocketClient) throws -> Void)] = [
                ("an unmasked frame", 1002, { try $0.send(WebSocketFrame.text, Array("hi".utf8), masked: false) }),
                ("invalid UTF-8", 1007, { try $0.send(WebSocketFrame.text, [0x61, 0xC0, 0xAF]) }),
                ("\(limit + 1) bytes", 1009, { try $0.send(WebSocketFrame.binary, [UInt8](repeating: 0, count: limit + 1)) }),
            ]
            for (what, code, send) in cases {
                let (_, opened, connection) = try probe.openWebSocket()
                defer { connection.disconnect() }
                guard let socket = opened else { throw CaseFailure(description: "the handshake was refused") }
                try send(socket)
                try expectEqual(try socket.receiveClose()?.closeCode, code, "the close code for \(what)")
            }
            return "1002, 1007 and 1009"
        },
        ConformanceCase(
            "ws-closing", ["WS-9"],
            "The client's close is answered with its code and the server closes the connection; the probe's own close arrives with its code and reason."
        ) { probe in
            try probe.requireWebSocket()
            let (_, first, connection) = try probe.openWebSocket()
            defer { connection.disconnect() }
            guard let client = first else { throw CaseFailure(description: "the handshake was refused") }
            try client.send(close: 4000)
            try expectEqual(try client.receiveClose()?.closeCode, 4000, "the answer to the client's close")
            try expect(client.closesWithin(.seconds(3)), "the server did not close the connection after the closing handshake")
            let (_, second, other) = try probe.openWebSocket()
            defer { other.disconnect() }
            guard let server = second else { throw CaseFailure(description: "the handshake was refused") }
            try server.send(text: "close 4001 done")
            let close = try server.receiveClose()
            try expectEqual(close?.closeCode, 4001, "the probe's close code")
            try expectEqual(close?.text, "done", "the probe's close reason")
            return "4000 answered, connection closed; 4001 \"done\" received"
        },
        ConformanceCase(
            "ws-upgrade-not-taken", ["WS-13"],
            "A handshake to a path that does not accept it is answered normally with Connection: close, and the connection closes."
        ) { probe in
            try probe.requireStandaloneHTTP("the front server answers the upgrade request and manages the connection")
            let (response, _, connection) = try probe.openWebSocket("/not-a-websocket")
            defer { connection.disconnect() }
            try expectEqual(response.status, 200, "the status of the probe's report")
            try expect(response.closesConnection, "the response does not say Connection: close")
            try expect(connection.closesWithin(.seconds(3)), "the server did not close the connection")
            return "the report with Connection: close, then the close"
        },
    ]
}
