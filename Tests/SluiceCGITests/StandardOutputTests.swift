// The response a CGI program writes to standard output (Spec CGI-10, CGI-11, RESP-*, ERR-1, ERR-2).

import Glibc
import Sluice
import SluiceCGI
import Synchronization
import Testing

@Suite("CGI responses")
struct StandardOutputTests {
    @Test("[CGI-10] [RESP-5] the head is a Status line, the fields and an empty line; Content-Length is added")
    func headBlock() async {
        let exchange = await CGIExchange.run(App { _ in .text("hi", status: .created) })
        #expect(
            String(decoding: exchange.output, as: UTF8.self)
                == "Status: 201 Created\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\nhi")
        #expect(exchange.exitStatus == 0)
    }

    @Test("[CGI-11] a local redirect is written as a lone Location field")
    func localRedirect() async {
        let exchange = await CGIExchange.run(App { _ in .localRedirect(to: "/other?x=1") })
        #expect(String(decoding: exchange.output, as: UTF8.self) == "Location: /other?x=1\r\n\r\n")
    }

    @Test("[RESP-13] repeated fields are written as separate lines")
    func repeatedFields() async {
        let app = App { _ in
            Response(headers: Headers([("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"), ("Content-Type", "text/plain")]), body: "")
        }
        let exchange = await CGIExchange.run(app)
        #expect(exchange.headLines.filter { $0.hasPrefix("Set-Cookie: ") } == ["Set-Cookie: a=1", "Set-Cookie: b=2"])
    }

    @Test("[RESP-6] HEAD gets the head the application returned, Content-Length included, and no body")
    func head() async {
        let exchange = await CGIExchange.run(App { _ in .text("twelve bytes") }, ["REQUEST_METHOD": "HEAD"])
        #expect(exchange.headLines.contains("Content-Length: 12"))
        #expect(exchange.body.isEmpty)
        #expect(exchange.output.count == (exchange.head?.utf8.count ?? 0) + 4)
    }

    @Test("[RESP-9] flush() hands what was written to standard output before the body ends")
    func flushReachesOutput() async {
        let stdout = TemporaryFile(holding: [])
        let sizeAtFlush = Mutex(-1)
        let app = App { _ in
            Response(
                headers: ["Content-Type": "text/plain"],
                body: .stream { writer in
                    try await writer.write("first\n")
                    try await writer.flush()
                    sizeAtFlush.withLock { $0 = stdout.size }
                    try await writer.write("second\n")
                })
        }
        let status = await CGI.serve(
            app, environment: CGIExchange.environment([:]), input: 0, output: dup(stdout.descriptor), errorLog: .discarding
        )
        #expect(status == 0)
        let whole = stdout.contents()
        #expect(sizeAtFlush.withLock { $0 } == whole.count - "second\n".utf8.count)
    }

    @Test("[RESP-9] small writes are buffered until a flush, the end, or 64 KiB; large bodies pass whole")
    func largeBody() async {
        let bytes = [UInt8].pattern(count: 1_000_003)
        let exchange = await CGIExchange.run(
            App { _ in
                Response(
                    headers: ["Content-Type": "application/octet-stream"],
                    body: .stream(length: bytes.count) { writer in
                        for start in stride(from: 0, to: bytes.count, by: 1000) {
                            try await writer.write(Array(bytes[start..<min(start + 1000, bytes.count)]))
                        }
                    })
            })
        #expect(exchange.exitStatus == 0)
        #expect(Array(exchange.output.suffix(bytes.count)) == bytes)
    }

    @Test("[RESP-11] [RESP-12] trailers and informational responses are dropped: CGI cannot send them")
    func trailersAndInformationalDropped() async {
        let app = App { _ in
            try await RequestContext.current?.sendInformational(status: .earlyHints, headers: ["Link": "</a.css>"])
            return Response(
                headers: ["Content-Type": "text/plain"],
                body: .stream { writer in
                    try await writer.write("body")
                    try await writer.finish(trailers: ["X-Checksum": "1"])
                })
        }
        let exchange = await CGIExchange.run(app)
        #expect(exchange.status == 200)
        #expect(exchange.body == "body")
        let text = String(decoding: exchange.output, as: UTF8.self)
        #expect(!text.contains("X-Checksum") && !text.contains("Link") && !text.contains("103"))
        #expect(exchange.exitStatus == 0)
    }

    @Test("[ERR-1] [CGI-12] an application that throws gets a plain 500, the error logged, exit status 0")
    func applicationThrows() async {
        struct Broken: Error, CustomStringConvertible { var description: String { "database unreachable" } }
        let exchange = await CGIExchange.run(App { _ in throw Broken() })
        #expect(exchange.status == 500)
        #expect(exchange.body == "500 Internal Server Error\n")
        #expect(!exchange.body.contains("database"))
        #expect(exchange.log.contains { $0.contains("database unreachable") })
        #expect(exchange.exitStatus == 0)
    }

    @Test("[ERR-2] [CGI-12] a body that fails before anything was flushed sends nothing and exits non-zero")
    func bodyFailsUnflushed() async {
        struct Broken: Error {}
        let app = App { _ in
            Response(
                headers: ["Content-Type": "text/plain"],
                body: .stream { writer in
                    try await writer.write("partial")
                    throw Broken()
                })
        }
        let exchange = await CGIExchange.run(app)
        #expect(exchange.output.isEmpty)
        #expect(exchange.exitStatus == 1)
        #expect(exchange.log.contains { $0.contains("response body failed") })
    }

    @Test("[ERR-2] a body that fails after a flush keeps what was flushed and exits non-zero")
    func bodyFailsAfterFlush() async {
        struct Broken: Error {}
        let app = App { _ in
            Response(
                headers: ["Content-Type": "text/plain"],
                body: .stream { writer in
                    try await writer.write("sent")
                    try await writer.flush()
                    try await writer.write("never sent")
                    throw Broken()
                })
        }
        let exchange = await CGIExchange.run(app)
        #expect(exchange.status == 200)
        #expect(exchange.body == "sent")
        #expect(exchange.exitStatus == 1)
    }
}
