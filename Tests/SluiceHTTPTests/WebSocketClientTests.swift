// The standalone server's WebSocket against real clients over real sockets: Python's websockets
// as a browser-like client, wsproto and raw bytes frame by frame (Spec WS-5 to WS-10, WS-12).

import Foundation
import IntegrationSupport
import Sluice
import SluiceHTTP
import Testing

/// One test at a time: several cases measure time (a close timeout, a frame timeout, echo
/// latency under a ping flood), and seven Python clients at once on a loaded machine stretched
/// them past their bounds.
@Suite("WebSocket with real clients", .serialized)
struct WebSocketClientTests {
    struct Broken: Error {}

    /// The routes Scripts/websocket_cases.py expects.
    static let app = App { request in
        let path = request.pathInfo
        if path.hasPrefix("/close/"), let code = UInt16(path.dropFirst("/close/".count)) {
            return .webSocket { socket in await socket.close(WebSocketClose(code: code, reason: "server")) }
        }
        switch path {
        case "/throw":
            return .webSocket { socket in
                var messages = socket.messages.makeAsyncIterator()
                _ = try await messages.next()
                throw Broken()
            }
        case "/idle":
            return .webSocket { _ in try await Task.sleep(for: .seconds(60)) }
        case "/drain":
            return .webSocket { socket in for try await _ in socket.messages {} }
        default:
            let chosen = request.webSocketHandshake?.subprotocols.first { $0 == "chat" }
            return .webSocket(subprotocol: chosen) { socket in
                for try await message in socket.messages where message.isData { try await socket.send(message) }
            }
        }
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/websocket_cases.py")

    /// One case's result, as the script prints it.
    struct Result: Decodable {
        var `case`: String
        var ok: Bool
        var detail: String
    }

    /// Serves the app with small limits and runs the script's `group`; returns its results.
    static func run(_ group: String) async throws -> [Result] {
        try await PythonScript.require(module: "websockets")
        try await PythonScript.require(module: "wsproto")
        return try await InProcessServer.serving(
            app,
            configure: { configuration in
                configuration.limits.maxWebSocketMessageBytes = 64 * 1024
                configuration.timeouts.webSocketClose = .milliseconds(500)
                configuration.timeouts.webSocketFrame = .seconds(2)
            }
        ) { server in
            let output = try await PythonScript.run(file: Self.script, arguments: [String(server.port), group], timeout: .seconds(120))
            return try output.split(separator: "\n").map { try JSONDecoder().decode(Result.self, from: Data($0.utf8)) }
        }
    }

    static func expectAll(_ results: [Result], count: Int) {
        #expect(results.count == count, "\(results.map(\.case))")
        for result in results where !result.ok {
            Issue.record("\(result.case): \(result.detail)")
        }
    }

    @Test("[WS-5] [WS-6] [WS-9] websockets: echoes, 64 KiB, fragments, pings, subprotocols, closes both ways, 1011, 1009, fifty clients, 426")
    func browserLikeClient() async throws {
        Self.expectAll(try await Self.run("client"), count: 11)
    }

    @Test("[WS-6] [WS-8] wsproto and raw frames: fragments with a ping between, every protocol error and its close code, the limit ±1")
    func frameByFrame() async throws {
        Self.expectAll(try await Self.run("frames"), count: 49)
    }

    @Test("[WS-9] the closing handshake: the client's close answered with its code, without one with none; the server's times out")
    func closingHandshake() async throws {
        Self.expectAll(try await Self.run("closing"), count: 3)
    }

    @Test("[WS-7] a session that reads nothing, and a client that reads no pongs, cannot make the server buffer without bound")
    func backpressure() async throws {
        Self.expectAll(try await Self.run("backpressure"), count: 2)
    }

    @Test("[WS-15] a frame dribbled or stalled is failed with 1008 after the frame timeout; quiet between frames is not")
    func slowFrames() async throws {
        Self.expectAll(try await Self.run("slow"), count: 3)
    }

    @Test("[WS-6] [WS-7] a flood of 5,000 pings is answered in order while another client's echo keeps its pace")
    func pingFlood() async throws {
        Self.expectAll(try await Self.run("flood"), count: 2)
    }

    @Test("[WS-12] a graceful stop closes open WebSockets with 1001, and the server stops well within its grace")
    func gracefulStop() async throws {
        try await PythonScript.require(module: "websockets")
        let (opened, opening) = AsyncStream<Void>.makeStream()
        let app = App { _ in
            .webSocket { socket in
                opening.yield()
                for try await _ in socket.messages {}
            }
        }
        let clients = 5
        let clock = ContinuousClock()
        var stopBegan = clock.now
        let output = try await InProcessServer.serving(app, configure: { $0.shutdownGracePeriod = .seconds(10) }) { server, group in
            let script = """
                import asyncio, websockets
                async def one():
                    async with websockets.connect("ws://127.0.0.1:\(server.port)/") as ws:
                        try:
                            await asyncio.wait_for(ws.recv(), 20)
                        except websockets.ConnectionClosed as closed:
                            return closed.rcvd.code if closed.rcvd else None
                async def main():
                    print(" ".join(str(code) for code in await asyncio.gather(*(one() for _ in range(\(clients))))))
                asyncio.run(main())
                """
            let client = Task { try await PythonScript.run(script) }
            var count = 0
            for await _ in opened {
                count += 1
                if count == clients { break }
            }
            stopBegan = clock.now
            await group.triggerGracefulShutdown()
            return try await client.value
        }
        let stopTook = clock.now - stopBegan
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == Array(repeating: "1001", count: clients).joined(separator: " "))
        #expect(stopTook < .seconds(5), "the stop took \(stopTook)")
    }
}
