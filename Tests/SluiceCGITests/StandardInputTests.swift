// The request body a CGI program reads from standard input (Spec CGI-9, BODY-*, CGI-5).

import Glibc
import Sluice
import SluiceCGI
import Synchronization
import Testing

@Suite("CGI request bodies")
struct StandardInputTests {
    /// An application that reads its whole body and answers with its length and first bytes.
    static let echo = App { request in
        let bytes = try await request.body.collect(upTo: 1 << 26)
        return .text("\(request.body.expectedLength.map(String.init) ?? "unknown") \(bytes.count) \(bytes.prefix(8))")
    }

    @Test("[CGI-9] reads exactly CONTENT_LENGTH bytes of stdin, never more")
    func readsExactlyContentLength() async {
        let input = Array("hello, extension data the server may add".utf8)
        let exchange = await CGIExchange.run(Self.echo, ["REQUEST_METHOD": "POST", "CONTENT_LENGTH": "5"], input: input)
        #expect(exchange.status == 200)
        #expect(exchange.body == "5 5 [104, 101, 108, 108, 111]")
        #expect(exchange.inputOffset == 5)
    }

    @Test("[CGI-9] without CONTENT_LENGTH but with HTTP_TRANSFER_ENCODING the body is stdin up to its end")
    func readsToEndWhenChunked() async {
        let input = [UInt8].pattern(count: 200_000)
        let exchange = await CGIExchange.run(
            Self.echo, ["REQUEST_METHOD": "POST", "HTTP_TRANSFER_ENCODING": "chunked"], input: input
        )
        #expect(exchange.body == "unknown 200000 \(input.prefix(8))")
        #expect(exchange.inputOffset == input.count)
    }

    @Test("[CGI-9] without CONTENT_LENGTH or HTTP_TRANSFER_ENCODING the body is empty and stdin is not read")
    func emptyWithoutLength() async {
        let exchange = await CGIExchange.run(Self.echo, ["CONTENT_LENGTH": ""], input: Array("stray".utf8))
        #expect(exchange.body == "0 0 []")
        #expect(exchange.inputOffset == 0)
    }

    @Test("[BODY-2] stdin is read only when the application asks, in chunks of at most 64 KiB")
    func streamsInChunks() async {
        let input = [UInt8].pattern(count: 300_000)
        let stdin = TemporaryFile(holding: input)
        let seen = Mutex<(offsetBeforeReading: Int, chunks: [Int])>((-1, []))
        let app = App { request in
            seen.withLock { $0.offsetBeforeReading = stdin.offset }
            for try await chunk in request.body {
                seen.withLock { $0.chunks.append(chunk.count) }
            }
            return .text("read")
        }
        let stdout = TemporaryFile(holding: [])
        let status = await CGI.serve(
            app, environment: CGIExchange.environment(["REQUEST_METHOD": "PUT", "CONTENT_LENGTH": "300000"]),
            input: stdin.descriptor, output: dup(stdout.descriptor), errorLog: .discarding
        )
        #expect(status == 0)
        let (offset, chunks) = seen.withLock { $0 }
        #expect(offset == 0)
        #expect(chunks.reduce(0, +) == 300_000)
        #expect(chunks.count > 1)
        #expect(chunks.allSatisfy { $0 <= 64 * 1024 })
    }

    @Test("[BODY-5] an application may leave the body unread; the adapter reads it off stdin")
    func bodyLeftUnread() async {
        let exchange = await CGIExchange.run(
            App { _ in .text("ignored") }, ["REQUEST_METHOD": "POST", "CONTENT_LENGTH": "4"], input: Array("data".utf8)
        )
        #expect(exchange.status == 200)
        #expect(exchange.exitStatus == 0)
        #expect(exchange.inputOffset == 4)
    }

    @Test("[BODY-4] stdin shorter than CONTENT_LENGTH fails the read with truncated, answered 400")
    func shortInput() async {
        let failure = Mutex<(any Error)?>(nil)
        let app = App { request in
            do {
                _ = try await request.body.collect(upTo: 1000)
            } catch {
                failure.withLock { $0 = error }
                throw error
            }
            return .text("complete")
        }
        let exchange = await CGIExchange.run(app, ["REQUEST_METHOD": "POST", "CONTENT_LENGTH": "100"], input: Array("short".utf8))
        #expect(failure.withLock { $0 as? RequestBodyError } == .truncated(expected: 100, received: 5))
        #expect(exchange.status == 400)
        #expect(exchange.exitStatus == 0)
        #expect(exchange.log.contains { $0.contains("ended after 5 of 100 bytes") })
    }

    @Test("[CGI-5] a non-numeric CONTENT_LENGTH is answered 400 without running the application")
    func nonNumericLength() async {
        let ran = Mutex(false)
        let app = App { _ in
            ran.withLock { $0 = true }
            return .text("ran")
        }
        let exchange = await CGIExchange.run(app, ["REQUEST_METHOD": "POST", "CONTENT_LENGTH": "12abc"])
        #expect(exchange.status == 400)
        #expect(exchange.exitStatus == 0)
        #expect(!ran.withLock { $0 })
        #expect(exchange.log.contains { $0.contains("CONTENT_LENGTH") })
    }

    @Test("[CGI-5] a negative CONTENT_LENGTH is answered 400")
    func negativeLength() async {
        let exchange = await CGIExchange.run(Self.echo, ["REQUEST_METHOD": "POST", "CONTENT_LENGTH": "-1"])
        #expect(exchange.status == 400)
        #expect(exchange.body == "400 Bad Request\n")
    }

    @Test("[CGI-5] [SEC-3] a CONTENT_LENGTH over the limit is answered 413 without reading stdin")
    func lengthOverLimit() async {
        let exchange = await CGIExchange.run(
            Self.echo, ["REQUEST_METHOD": "POST", "CONTENT_LENGTH": "11"], input: Array("hello world".utf8),
            limits: CGILimits(maxBodyBytes: 10)
        )
        #expect(exchange.status == 413)
        #expect(exchange.inputOffset == 0)
        #expect(exchange.log.contains { $0.contains("over the limit of 10 bytes") })
    }

    @Test("[SEC-3] a body of unknown length that passes the limit is answered 413")
    func unknownLengthOverLimit() async {
        let exchange = await CGIExchange.run(
            Self.echo, ["REQUEST_METHOD": "POST", "HTTP_TRANSFER_ENCODING": "chunked"], input: .pattern(count: 100_000),
            limits: CGILimits(maxBodyBytes: 70_000)
        )
        #expect(exchange.status == 413)
        #expect(exchange.inputOffset == 70_001)
    }

    @Test("[REQ-12] expectedLength is CONTENT_LENGTH, and nil for a chunked body")
    func expectedLength() async {
        let fixed = await CGIExchange.run(Self.echo, ["REQUEST_METHOD": "POST", "CONTENT_LENGTH": "3"], input: [1, 2, 3])
        #expect(fixed.body.hasPrefix("3 3"))
        let chunked = await CGIExchange.run(
            Self.echo, ["REQUEST_METHOD": "POST", "HTTP_TRANSFER_ENCODING": "chunked"], input: [1, 2, 3]
        )
        #expect(chunked.body.hasPrefix("unknown 3"))
    }
}
