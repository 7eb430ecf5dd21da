// Clients that give up at random points of uploads and downloads, over real sockets: the server
// stays healthy, no request sees another's bytes, and every request's completion hooks run
// exactly once (Spec LIFE-3, LIFE-4, BODY-4, BODY-5).

import Foundation
import IntegrationSupport
import Sluice
import Synchronization
import Testing

extension UnderLoad {
    @Suite("Clients aborting at random points")
    struct AbortTests {
        /// What the application saw: the requests it started and how often each one's hooks ran.
        final class Ledger: Sendable {
            private let runs = Mutex<[String: Int]>([:])

            func started(_ id: String) { runs.withLock { $0[id] = $0[id] ?? 0 } }
            func completed(_ id: String) { runs.withLock { $0[id, default: 0] += 1 } }
            var all: [String: Int] { runs.withLock { $0 } }
        }

        /// `/upload` reads the body and answers its id, length and FNV-1a; `/ignore` answers
        /// without reading; `/download?bytes=N` streams N pattern bytes in flushed 16 KiB writes.
        /// Each request's id is its `X-Id` field.
        static func app(_ ledger: Ledger) -> App {
            App { request in
                let id = request.headers["X-Id"] ?? "?"
                ledger.started(id)
                request.onCompletion { _ in ledger.completed(id) }
                switch request.pathInfo {
                case "/upload":
                    let body = try await request.body.collect(upTo: 1 << 20)
                    return .text("\(id) \(body.count) \(BatteryTests.fnv1a(Data(body)))\n")
                case "/ignore":
                    return .text("\(id) ignored\n")
                default:
                    let count = Int(request.queryString.dropFirst("bytes=".count)) ?? 0
                    return Response(
                        headers: ["Content-Type": "application/octet-stream"],
                        body: .stream { writer in
                            let block = [UInt8](PatternBytes.data(count: 16_384))
                            var left = count
                            while left > 0 {
                                try await writer.write(Array(block.prefix(left)))
                                try await writer.flush()
                                left -= min(left, block.count)
                            }
                        })
                }
            }
        }

        /// A deterministic generator, so that a failing run can be repeated (SplitMix64).
        struct Generator: RandomNumberGenerator {
            var state: UInt64
            mutating func next() -> UInt64 {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                return z ^ (z >> 31)
            }
        }

        /// One client's plan.
        enum Plan: Sendable {
            /// Sends `cut` bytes of an upload of `length` (its head included), then leaves.
            case abortUpload(length: Int, cut: Int, resets: Bool)
            /// Reads `cut` bytes of a download of `length`, then leaves.
            case abortDownload(length: Int, cut: Int, resets: Bool)
            /// An upload the application does not read, then an upload it reads, on one connection.
            case ignoredThenRead(ignored: Int, read: Int)
        }

        static func upload(_ path: String, id: String, body: [UInt8]) -> [UInt8] {
            Array("POST \(path) HTTP/1.1\r\nHost: a\r\nX-Id: \(id)\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body
        }

        /// Runs `plan` as client `id`; returns a problem, if it saw one.
        static func run(_ plan: Plan, id: String, port: Int) throws -> String? {
            switch plan {
            case let .abortUpload(length, cut, resets):
                let bytes = upload("/upload", id: id, body: [UInt8](PatternBytes.data(count: length)))
                let client = try StalledClient(port: port, request: "")
                client.send(Array(bytes.prefix(cut)))
                if resets { client.reset() } else { client.close() }
                return nil
            case let .abortDownload(length, cut, resets):
                let client = try StalledClient(port: port, request: "GET /download?bytes=\(length) HTTP/1.1\r\nHost: a\r\nX-Id: \(id)\r\n\r\n")
                _ = client.read(atLeast: cut, timeout: .seconds(10))
                if resets { client.reset() } else { client.close() }
                return nil
            case let .ignoredThenRead(ignored, read):
                let second = [UInt8](PatternBytes.data(count: read + 7).suffix(read))
                let client = try StalledClient(port: port, request: "")
                defer { client.close() }
                client.send(upload("/ignore", id: id + "a", body: [UInt8](PatternBytes.data(count: ignored))) + upload("/upload", id: id + "b", body: second))
                let expected = "\(id)b \(read) \(BatteryTests.fnv1a(Data(second)))\n"
                let reply = String(decoding: client.read(until: expected, timeout: .seconds(10)), as: UTF8.self)
                return reply.hasSuffix(expected) && reply.contains("\(id)a ignored\n") ? nil : "\(id): \(reply.suffix(200).debugDescription)"
            }
        }

        @Test(
            "[LIFE-3] [LIFE-4] [BODY-4] [BODY-5] clients aborting uploads and downloads at random points: the server stays healthy, no request sees another's bytes, hooks run once"
        )
        func randomAborts() async throws {
            let ledger = Ledger()
            var random = Generator(state: 0x5EED_0F_AB07)
            let plans: [Plan] = (0..<96).map { _ in
                switch Int.random(in: 0..<3, using: &random) {
                case 0:
                    let length = Int.random(in: 1...65_536, using: &random)
                    // The head is about 80 bytes: some cuts fall inside it, before the application starts.
                    return .abortUpload(length: length, cut: Int.random(in: 1..<(length + 80), using: &random), resets: Bool.random(using: &random))
                case 1:
                    let length = Int.random(in: 16_384...1 << 18, using: &random)
                    return .abortDownload(length: length, cut: Int.random(in: 0..<length, using: &random), resets: Bool.random(using: &random))
                default:
                    return .ignoredThenRead(ignored: Int.random(in: 0...65_536, using: &random), read: Int.random(in: 0...4096, using: &random))
                }
            }
            try await InProcessServer.serving(Self.app(ledger)) { server in
                let port = server.port
                var problems: [String] = []
                for batch in stride(from: 0, to: plans.count, by: 8) {
                    problems += try await withThrowingTaskGroup(of: String?.self) { group in
                        for index in batch..<min(batch + 8, plans.count) {
                            let plan = plans[index]
                            group.addTask { try await onOwnThread { try Self.run(plan, id: "c\(index)", port: port) } }
                        }
                        return try await group.reduce(into: []) { if let problem = $1 { $0.append(problem) } }
                    }
                }
                #expect(problems.isEmpty, "\(problems)")
                // Every request the application started completes, once.
                let deadline = ContinuousClock.now + .seconds(10)
                while ledger.all.values.contains(0), ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(50))
                }
                try await Task.sleep(for: .milliseconds(200))
                let unfinished = ledger.all.filter { $0.value != 1 }
                #expect(unfinished.isEmpty, "hook runs other than one: \(unfinished)")
                #expect(ledger.all.count > 64, "only \(ledger.all.count) requests reached the application")
                // And the server goes on serving.
                let after = try await RawSocket.exchange("GET /ignore HTTP/1.1\r\nHost: a\r\nX-Id: after\r\nConnection: close\r\n\r\n", port: port)
                #expect(after.text.hasSuffix("after ignored\n"))
            }
        }
    }
}
