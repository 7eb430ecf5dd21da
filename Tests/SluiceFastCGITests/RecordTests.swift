// The FastCGI protocol itself, record by record: management records, multiplexing, how a
// request ends, kept connections and the bodies left on them.

import Foundation
import Glibc
import IntegrationSupport
import Testing

@Suite("FastCGI records", .timeLimit(.minutes(1)))
struct RecordTests {
    /// GET_VALUES asking for these is 33 bytes, so its record is padded.
    static let variables = ["FCGI_MPXS_CONNS", "FCGI_MAX_CONNS"]
    /// GET_VALUES asking for these is 48 bytes: a record without padding.
    static let unpaddedVariables = ["FCGI_MAX_CONNS", "FCGI_MAX_REQS", "FCGI_MPXS_CONNS"]

    /// The pairs of the first GET_VALUES_RESULT in `reply`, as a dictionary.
    static func values(in reply: FastCGIReply) -> [String: String]? {
        reply.management(.getValuesResult).flatMap { FastCGIRecord.decodePairs($0.content) }
            .map { Dictionary($0, uniquingKeysWith: { first, _ in first }) }
    }

    @Test("[FCGI-2] a padded FCGI_GET_VALUES before a request and between kept requests is answered FCGI_MPXS_CONNS=0")
    func getValues() async throws {
        let battery = try await Battery()
        let (first, between, served) = try await battery.withConnection { client in
            let answered: (FastCGIReply) -> Bool = { $0.management(.getValuesResult) != nil }
            client.send(FastCGIRecord.getValues(Self.variables))
            let first = client.reply(timeout: .seconds(5), until: answered)
            client.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/first"), keepConnection: true))
            _ = client.reply(timeout: .seconds(5))
            client.send(FastCGIRecord.getValues(Self.variables))
            let between = client.reply(timeout: .seconds(5), until: answered)
            client.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/second")))
            return (first, between, client.reply(timeout: .seconds(5)))
        }
        for reply in [first, between] {
            let values = Self.values(in: reply)
            #expect(values?["FCGI_MPXS_CONNS"] == "0")
            #expect(reply.management(.getValuesResult)?.id == FastCGIRecord.managementID)
        }
        #expect(served.status == 200)
        #expect(served.body.contains("pathInfo: /second\n"))
    }

    @Test("[FCGI-2] an unpadded FCGI_GET_VALUES that is the last thing sent is answered at once, with the responder's true capacity")
    func unpaddedGetValues() async throws {
        let battery = try await Battery(["--workers", "7", "--processes", "2"])
        let (alone, followed) = try await battery.withConnection { client in
            client.send(FastCGIRecord.getValues(Self.unpaddedVariables))
            let alone = client.reply(timeout: .seconds(2)) { $0.management(.getValuesResult) != nil }
            client.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/after")))
            return (alone, client.reply(timeout: .seconds(5)))
        }
        var descriptors = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &descriptors)
        let values = Self.values(in: alone)
        // Every worker of both processes serves a request at a time; a kept connection
        // waits without a worker, so connections are bounded by descriptors alone.
        #expect(values?["FCGI_MAX_REQS"] == "14")
        #expect(values?["FCGI_MAX_CONNS"] == String(2 * Int(descriptors.rlim_cur)))
        #expect(values?["FCGI_MPXS_CONNS"] == "0")
        #expect(followed.status == 200)
    }

    @Test("[FCGI-2] [FCGI-6] FCGI_GET_VALUES naming a variable a hundred times is answered once per name; the responder lives")
    func repeatedGetValues() async throws {
        // libfcgi 2.4.2 wrote each repeat into a 64-byte stack buffer: six repeats ended the process.
        let battery = try await Battery()
        let reply = try await battery.withConnection { client in
            client.send(FastCGIRecord.getValues([String](repeating: "FCGI_MAX_CONNS", count: 100) + ["FCGI_MAX_REQS"]))
            return client.reply(timeout: .seconds(5)) { $0.management(.getValuesResult) != nil }
        }
        let pairs = try #require(reply.management(.getValuesResult).flatMap { FastCGIRecord.decodePairs($0.content) })
        #expect(pairs.map(\.0) == ["FCGI_MAX_CONNS", "FCGI_MAX_REQS"])
        #expect(pairs.last?.1 == "32")
        #expect(battery.process.isRunning)
        #expect(try await battery.get("/app/after").status == 200)
    }

    @Test("[FCGI-6] padding of every length 0-255 on every record a front server sends is skipped, and what it holds never takes effect")
    func everyPadding() async throws {
        let battery = try await Battery(["--workers", "2"])
        let body = Array("padded body".utf8)
        let replies = try await battery.withConnection { client in
            (0...255).map { length in
                // The padding holds records of its own: a request for another path.
                let lure = FastCGIRecord.begin() + FastCGIRecord.stream(.params, FastCGIRecord.pairs(FastCGIRecord.params("GET", "/app/evil")))
                let padding = Array((lure + lure).prefix(length))
                let params = FastCGIRecord.pairs(FastCGIRecord.params("POST", "/app/padded", [("CONTENT_LENGTH", "\(body.count)")]))
                client.send(
                    FastCGIRecord.begin(keepConnection: true, padding: padding)
                        + FastCGIRecord.record(.params, params, padding: padding) + FastCGIRecord.record(.params, padding: padding)
                        + FastCGIRecord.record(.standardInput, body, padding: padding) + FastCGIRecord.record(.standardInput, padding: padding)
                )
                return client.reply(timeout: .seconds(5))
            }
        }
        for (length, reply) in replies.enumerated() {
            #expect(reply.status == 200 && reply.ended && !reply.closed, "padding \(length)")
            #expect(reply.body.contains("pathInfo: /padded\n") && reply.body.contains("bodyFNV1a: \(fnv1a(body))\n"), "padding \(length)")
        }
    }

    /// A POST to /app/echo whose body comes in two parts with `records` between them, which
    /// the responder meets while the application reads the body.
    static func echo(_ before: [UInt8], then records: [UInt8], _ after: [UInt8]) -> [UInt8] {
        FastCGIRecord.begin() + FastCGIRecord.stream(.params, FastCGIRecord.pairs(FastCGIRecord.params("POST", "/app/echo")))
            + FastCGIRecord.record(.standardInput, before) + records + FastCGIRecord.stream(.standardInput, after)
    }

    @Test("[FCGI-2] FCGI_GET_VALUES while the application reads its body is answered, and the request goes on")
    func getValuesDuringARequest() async throws {
        let battery = try await Battery()
        let reply = try await battery.exchange(Self.echo(Array("before ".utf8), then: FastCGIRecord.getValues(Self.variables), Array("after".utf8)))
        #expect(Self.values(in: reply)?["FCGI_MPXS_CONNS"] == "0")
        #expect(reply.status == 200)
        #expect(reply.body.contains("bodyLength: 12\n"))
    }

    @Test("[FCGI-2] an unknown management record is answered FCGI_UNKNOWN_TYPE naming its type")
    func unknownManagementRecord() async throws {
        let battery = try await Battery()
        let reply = try await battery.withConnection { client in
            client.send([1, 42, 0, 0, 0, 0, 0, 0])
            let unknown = client.reply(timeout: .seconds(5)) { $0.management(.unknownType) != nil }
            client.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/after")))
            var served = client.reply(timeout: .seconds(5))
            served.records = unknown.records + served.records
            return served
        }
        #expect(reply.management(.unknownType)?.content.first == 42)
        #expect(reply.status == 200)
    }

    @Test("[FCGI-2] a second BEGIN_REQUEST on a busy connection is answered FCGI_CANT_MPX_CONN; the first is served")
    func secondRequestIsRefused() async throws {
        let battery = try await Battery()
        let reply = try await battery.exchange(Self.echo(Array("one ".utf8), then: FastCGIRecord.begin(id: 2), Array("two".utf8)))
        #expect(reply.endings.contains(RequestEnding(id: 2, appStatus: 0, protocolStatus: FastCGIRecord.ProtocolStatus.cannotMultiplexConnection.rawValue)))
        #expect(reply.status == 200)
        #expect(reply.body.contains("bodyLength: 7\n"))
        #expect(reply.records.allSatisfy { $0.kind != .standardOutput || $0.id == 1 })
    }

    @Test("[FCGI-2] a request in the authorizer or filter role is answered FCGI_UNKNOWN_ROLE; the kept connection serves the next")
    func otherRoleIsRefused() async throws {
        let battery = try await Battery()
        let (refused, next) = try await battery.withConnection { client in
            var refused: [FastCGIReply] = []
            for role: UInt8 in [2, 3] {
                client.send(
                    FastCGIRecord.begin(keepConnection: true, role: role)
                        + FastCGIRecord.stream(.params, FastCGIRecord.pairs(FastCGIRecord.params("GET", "/app/authorize")))
                        + FastCGIRecord.stream(.standardInput, Array("ignored".utf8)))
                refused.append(client.reply(timeout: .seconds(5)))
            }
            client.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/next")))
            return (refused, client.reply(timeout: .seconds(5)))
        }
        for reply in refused {
            #expect(reply.endings == [RequestEnding(id: 1, appStatus: 0, protocolStatus: FastCGIRecord.ProtocolStatus.unknownRole.rawValue)])
            #expect(reply.output.isEmpty)
        }
        #expect(next.body.contains("pathInfo: /next\n"))
        #expect(try await battery.get("/app/disconnections").body == "0\n")
    }

    /// Checks that `reply` ends the way a whole response ends: its last FCGI_STDOUT record is
    /// the empty one that closes the stream, then END_REQUEST, complete, appStatus 0, last.
    static func expectEndsWhole(_ reply: FastCGIReply, sourceLocation: SourceLocation = #_sourceLocation) {
        let output = reply.records.indices.filter { reply.records[$0].kind == .standardOutput }
        #expect(output.count >= 2, sourceLocation: sourceLocation)
        #expect(output.last.map { reply.records[$0].content.isEmpty } == true, sourceLocation: sourceLocation)
        #expect(output.dropLast().allSatisfy { !reply.records[$0].content.isEmpty }, sourceLocation: sourceLocation)
        #expect(reply.records.last?.kind == .endRequest, sourceLocation: sourceLocation)
        #expect(
            reply.endings == [RequestEnding(id: 1, appStatus: 0, protocolStatus: FastCGIRecord.ProtocolStatus.requestComplete.rawValue)],
            sourceLocation: sourceLocation
        )
    }

    @Test("[FCGI-5] a whole response ends with the empty FCGI_STDOUT record, then END_REQUEST complete with appStatus 0")
    func wholeResponseEnding() async throws {
        let battery = try await Battery()
        let reply = try await battery.get("/app/download?bytes=200000")
        #expect(reply.status == 200)
        #expect(reply.output.count > 200_000)
        Self.expectEndsWhole(reply)
    }

    @Test("[FCGI-5] [ERR-3] a request the adapter answers itself (431, 413) ends like a whole one")
    func rejectionEnding() async throws {
        let battery = try await Battery(["--max-params-bytes", "4096", "--max-body-bytes", "1000"])
        let paramsRejected = try await battery.exchange(
            FastCGIRecord.request(
                FastCGIRecord.params("GET", "/app/big", [("HTTP_COOKIE", String(repeating: "c", count: 8000))])
            ))
        #expect(paramsRejected.status == 431)
        Self.expectEndsWhole(paramsRejected)
        let bodyRejected = try await battery.exchange(
            FastCGIRecord.request(
                FastCGIRecord.params("POST", "/app/echo", [("CONTENT_LENGTH", "5000")]), body: [UInt8](repeating: 1, count: 5000)
            ))
        #expect(bodyRejected.status == 413)
        Self.expectEndsWhole(bodyRejected)
    }

    @Test("[FCGI-3] without FCGI_KEEP_CONN the connection is closed after END_REQUEST")
    func closedWithoutKeepConnection() async throws {
        let battery = try await Battery()
        let (reply, closed) = try await battery.withConnection { client in
            client.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/once")))
            let reply = client.reply(timeout: .seconds(5))
            return (reply, client.closesWithin(.seconds(3)))
        }
        #expect(reply.ended)
        #expect(closed)
    }

    @Test("[FCGI-3] [SEC-3] an idle kept connection is closed after the read timeout")
    func idleKeptConnectionCloses() async throws {
        let battery = try await Battery(["--read-timeout", "1"])
        let (reply, closed) = try await battery.withConnection { client in
            client.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/kept"), keepConnection: true))
            let reply = client.reply(timeout: .seconds(5))
            return (reply, client.closesWithin(.seconds(4)))
        }
        #expect(reply.ended && !reply.closed)
        #expect(closed)
    }

    @Test("[FCGI-3] [FCGI-7] a request's records are read to their end before its connection closes: the front server's last write does not fail")
    func lateEndOfStandardInput() async throws {
        // Caddy writes the end of FCGI_STDIN after the params, and answers 502 when that write
        // fails, whatever response came back.
        let battery = try await Battery()
        let (sent, reply) = try await battery.withConnection { client in
            // /app/log reads no body: the response is ready before FCGI_STDIN ends.
            client.send(FastCGIRecord.begin() + FastCGIRecord.stream(.params, FastCGIRecord.pairs(FastCGIRecord.params("GET", "/app/log"))))
            Thread.sleep(forTimeInterval: 0.3)
            let sent = client.send(FastCGIRecord.record(.standardInput))
            return (sent, client.reply(timeout: .seconds(5)))
        }
        #expect(sent)
        #expect(reply.ended && reply.status == 200)
    }

    @Test("[FCGI-7] [ERR-3] a request answered before its body arrives gets the answer at once; the body sent after it is read, not reset")
    func answerBeforeTheBody() async throws {
        let battery = try await Battery(["--max-body-bytes", "1000"])
        let (reply, bodySent) = try await battery.withConnection { client in
            client.send(
                FastCGIRecord.begin()
                    + FastCGIRecord.stream(
                        .params,
                        FastCGIRecord.pairs(
                            FastCGIRecord.params("POST", "/app/echo", [("CONTENT_LENGTH", "2000000")])
                        )))
            // Read before any body is sent: the answer cannot wait for the body.
            let reply = client.reply(timeout: .seconds(5))
            // As Caddy does: the whole body is written before the answer is read.
            let piece = FastCGIRecord.record(.standardInput, [UInt8](repeating: 0x62, count: 32_000))
            var bodySent = true
            for _ in 0..<62 where bodySent {
                bodySent = client.send(piece)
            }
            bodySent =
                bodySent && client.send(FastCGIRecord.record(.standardInput, [UInt8](repeating: 0x62, count: 16_000)))
                && client.send(FastCGIRecord.record(.standardInput))
            return (reply, bodySent)
        }
        #expect(reply.status == 413 && reply.ended)
        #expect(bodySent)
    }

    /// Sends `unread` bytes of body to a path that never reads its body, on a kept connection,
    /// then a second request on the same connection; returns both replies.
    static func unreadBodyThenNext(_ battery: Battery, unread: Int) async throws -> (FastCGIReply, FastCGIReply) {
        return try await battery.withConnection { client in
            client.send(
                FastCGIRecord.request(
                    FastCGIRecord.params("POST", "/app/log", [("CONTENT_LENGTH", "\(unread)")]),
                    body: [UInt8](repeating: 9, count: unread), keepConnection: true
                ))
            let first = client.reply(timeout: .seconds(10))
            client.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/next"), keepConnection: true))
            return (first, client.reply(timeout: .seconds(10)))
        }
    }

    @Test("[FCGI-7] [BODY-5] a body the application did not read is drained: the next request on the kept connection is served")
    func unreadBodyIsDrained() async throws {
        let battery = try await Battery(["--workers", "1"])
        let (first, next) = try await Self.unreadBodyThenNext(battery, unread: 300_000)
        #expect(first.status == 200)
        #expect(first.ended && !first.closed)
        #expect(next.status == 200)
        #expect(next.body.contains("pathInfo: /next\n"))
        #expect(next.body.contains("bodyLength: 0\n"))
    }

    @Test("[FCGI-1] [FCGI-7] bytes past CONTENT_LENGTH are not delivered; they are drained and the kept connection serves the next request")
    func bytesPastTheDeclaredLength() async throws {
        let battery = try await Battery(["--workers", "1"])
        let (first, next) = try await battery.withConnection { client in
            client.send(
                FastCGIRecord.request(
                    FastCGIRecord.params("POST", "/app/echo", [("CONTENT_LENGTH", "5")]), body: Array("helloEXTRA".utf8), keepConnection: true
                ))
            let first = client.reply(timeout: .seconds(5))
            client.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/next"), keepConnection: true))
            return (first, client.reply(timeout: .seconds(5)))
        }
        #expect(first.body.contains("bodyLength: 5\n"))
        #expect(first.ended && !first.closed)
        #expect(next.body.contains("pathInfo: /next\n"))
        #expect(next.body.contains("bodyLength: 0\n"))
    }

    @Test("[FCGI-7] an unread body of any size on a kept connection is skipped as it arrives; the next request on it is served")
    func largeUnreadBodyKeepsTheConnection() async throws {
        let battery = try await Battery(["--workers", "1", "--max-body-bytes", "8000000"])
        let (first, next) = try await Self.unreadBodyThenNext(battery, unread: 3_000_000)
        #expect(first.status == 200)
        #expect(first.ended && !first.closed)
        #expect(next.status == 200)
        #expect(next.body.contains("pathInfo: /next\n"))
    }

    @Test("[FCGI-7] as Apache does: the rest of the body is never sent and the next request, with the same id, comes at once")
    func nextRequestWithoutTheRestOfTheBody() async throws {
        let battery = try await Battery(["--workers", "1", "--max-body-bytes", "1000000"])
        let (first, next) = try await battery.withConnection { client in
            // Over the limit: answered 413 before the body; only part of it is ever sent.
            client.send(
                FastCGIRecord.begin(keepConnection: true)
                    + FastCGIRecord.stream(.params, FastCGIRecord.pairs(FastCGIRecord.params("POST", "/app/log", [("CONTENT_LENGTH", "2000000")])))
                    + FastCGIRecord.record(.standardInput, [UInt8](repeating: 7, count: 60_000)))
            let first = client.reply(timeout: .seconds(10))
            client.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/next"), keepConnection: true))
            return (first, client.reply(timeout: .seconds(10)))
        }
        #expect(first.status == 413)
        #expect(first.ended && !first.closed)
        #expect(next.status == 200)
        #expect(next.body.contains("pathInfo: /next\n"))
    }

    @Test("[FCGI-7] a kept connection whose body stays unsent ties no worker: one worker serves another connection meanwhile")
    func unsentBodyTiesNoWorker() async throws {
        let battery = try await Battery(["--workers", "1"])
        let path = battery.socketPath
        let (first, other) = try await battery.withConnection { client in
            client.send(
                FastCGIRecord.begin(keepConnection: true)
                    + FastCGIRecord.stream(.params, FastCGIRecord.pairs(FastCGIRecord.params("POST", "/app/log", [("CONTENT_LENGTH", "500000")])))
                    + FastCGIRecord.record(.standardInput, [UInt8](repeating: 7, count: 1_000)))
            let first = client.reply(timeout: .seconds(10))
            // The first connection stays open, its body unsent, while a second one asks.
            let second = try FastCGIClient(path: path)
            second.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/other")))
            return (first, second.reply(timeout: .seconds(5)))
        }
        #expect(first.status == 200 && first.ended)
        #expect(other.status == 200)
    }
}
