// What the HTTP adapter tells its ServerObserver: connections, and the requests it refuses itself.

import IntegrationSupport
import Sluice
import SluiceHTTP
import Synchronization
import Testing

@Suite("Server observer")
struct ObserverTests {
    /// Counts what it is told.
    final class RecordingObserver: ServerObserver {
        struct Counts: Equatable {
            var opened = 0
            var closed = 0
            var refused: [Int] = []
        }

        let counts = Mutex(Counts())

        func connectionOpened() { counts.withLock { $0.opened += 1 } }
        func connectionClosed() { counts.withLock { $0.closed += 1 } }
        func requestRefused(status: Response.Status) { counts.withLock { $0.refused.append(status.code) } }

        /// The counts once `condition` holds, or after two seconds.
        func settled(_ condition: (Counts) -> Bool) async throws -> Counts {
            let deadline = ContinuousClock.now + .seconds(2)
            while !condition(counts.withLock { $0 }), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            return counts.withLock { $0 }
        }
    }

    @Test("[SEC-3] [ERR-3] each refusal is reported with its status; each connection opened and closed")
    func refusalsAndConnections() async throws {
        let observer = RecordingObserver()
        try await InProcessServer.serving(
            LimitTests.echo,
            configure: { configuration in
                LimitTests.small(&configuration)
                configuration.observer = observer
            }
        ) { server in
            let target = "/" + String(repeating: "a", count: 100)
            #expect(try await RawSocket.exchange("GET \(target) HTTP/1.1\r\nHost: a\r\n\r\n", port: server.port).statusCodes == [414])
            let big = "GET / HTTP/1.1\r\nHost: a\r\nX-Big: \(String(repeating: "b", count: 5000))"
            #expect(try await RawSocket.exchange(big, port: server.port).statusCodes == [431])
            #expect(try await RawSocket.exchange("GET / HTTP/1.1\r\nHost: a\r\n", port: server.port, timeout: .seconds(3)).statusCodes == [408])
            #expect(try await RawSocket.exchange("NOT HTTP\r\n\r\n", port: server.port).statusCodes == [400])
            let fine = try await RawSocket.exchange("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", port: server.port)
            #expect(fine.statusCodes == [200])
            let counts = try await observer.settled { $0.closed == 5 }
            #expect(counts.opened == 5)
            #expect(counts.closed == 5)
            #expect(counts.refused.sorted() == [400, 408, 414, 431])
        }
    }
}
