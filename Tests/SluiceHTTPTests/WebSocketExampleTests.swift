// The WebSocket examples as built, started on a free port and driven by Python's websockets:
// Examples/Echo answers each message, Examples/Chat broadcasts among several clients.

import IntegrationSupport
import Testing

@Suite("WebSocket examples")
struct WebSocketExampleTests {
    /// Starts the built `product` standalone and runs `script` with its port in place of `PORT`.
    static func run(_ product: String, _ script: String) async throws -> String {
        try await PythonScript.require(module: "websockets")
        let directory = try TemporaryDirectory(label: product)
        let server = try await StandaloneHTTPServer.start(executable: try BuiltProduct.path(product), in: directory)
        defer { server.stop() }
        return try await PythonScript.run(script.replacing("PORT", with: String(server.port)))
    }

    @Test("[WS-6] [WS-9] Examples/Echo echoes text and binary, and answers the client's close")
    func echo() async throws {
        let output = try await Self.run(
            "echo",
            """
            import asyncio, websockets
            async def main():
                async with websockets.connect("ws://127.0.0.1:PORT/", open_timeout=10) as ws:
                    await ws.send("héllo")
                    text = await asyncio.wait_for(ws.recv(), 10)
                    await ws.send(b"\\x00\\x01")
                    data = await asyncio.wait_for(ws.recv(), 10)
                    await ws.close(4000)
                    print(text, data.hex(), ws.close_code)
            asyncio.run(main())
            """)
        #expect(output == "héllo 0001 4000\n")
    }

    @Test("[WS-9] Examples/Chat: three clients each see every line, and who joined and left")
    func chat() async throws {
        let output = try await Self.run(
            "chat",
            """
            import asyncio, websockets
            async def main():
                clients = [await websockets.connect("ws://127.0.0.1:PORT/", open_timeout=10) for _ in range(3)]
                async def until(ws, lines):
                    seen = []
                    while not set(lines) <= set(seen):
                        seen.append(await asyncio.wait_for(ws.recv(), 10))
                    return seen
                # Every client has seen the last one join before anyone talks.
                await asyncio.gather(*(until(ws, ["3 joined"]) for ws in clients))
                for index, ws in enumerate(clients):
                    await ws.send(f"hello from {index + 1}")
                hellos = ["1: hello from 1", "2: hello from 2", "3: hello from 3"]
                heard = await asyncio.gather(*(until(ws, hellos) for ws in clients))
                print(all(sorted(lines) == hellos for lines in heard))
                await clients[0].close()
                print(await until(clients[1], ["1 left"]) == ["1 left"])
                for ws in clients[1:]:
                    await ws.close()
            asyncio.run(main())
            """)
        #expect(output == "True\nTrue\n")
    }
}
