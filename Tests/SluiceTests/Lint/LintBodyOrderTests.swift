// Lint and which body moves first where request bodies do not stream (RESP-16).

import Sluice
import Testing

@Suite("Lint: reading the request body before writing the response body")
struct LintBodyOrderTests {
    @Test("[RESP-16] where request bodies do not stream, Lint flags a read of the body after response bytes went out")
    func readAfterWrite() async {
        let echo = App { request in
            Response(
                headers: ["Content-Type": "application/octet-stream"],
                body: .stream { writer in
                    for try await chunk in request.body { try await writer.write(chunk) }
                })
        }
        let bodyInChunks = { (streams: Bool) in
            lintRequest { request in
                request.method = .post
                request.body = RequestBody(expectedLength: nil, source: ChunksSource(chunks: [[1], [2], [3]]))
                request.capabilities.streamsRequestBody = streams
            }
        }
        let behindFrontServer = await LintedRun(echo, request: bodyInChunks(false))
        #expect(behindFrontServer.log.rules == ["RESP-16"])
        #expect(behindFrontServer.log.violations.first?.party == .application)
        let standalone = await LintedRun(echo, request: bodyInChunks(true))
        #expect(standalone.log.violations.isEmpty)
        #expect(standalone.writer.body == [1, 2, 3])
    }

    @Test("[RESP-16] reading the whole body first, or the last declared byte before writing, is fine where bodies do not stream")
    func readThenWrite() async {
        let collect = App { request in
            let bytes = try await request.body.collect(upTo: 100)
            return Response(
                headers: ["Content-Type": "application/octet-stream"],
                body: .stream { writer in
                    try await writer.write(bytes)
                    try await writer.flush()
                })
        }
        let request = {
            lintRequest { request in
                request.method = .post
                request.body = RequestBody(bytes: [1, 2, 3])
                request.capabilities.streamsRequestBody = false
            }
        }
        let run = await LintedRun(collect, request: request())
        #expect(run.log.violations.isEmpty)
        // Reading chunk by chunk with a declared length: the read that ends the body waits on nothing.
        let loop = App { request in
            Response(
                headers: ["Content-Type": "application/octet-stream"],
                body: .stream { writer in
                    var iterator = request.body.makeAsyncIterator()
                    let all = try await iterator.next() ?? []
                    try await writer.write(all)
                    #expect(try await iterator.next() == nil)
                })
        }
        let looped = await LintedRun(loop, request: request())
        #expect(looped.log.violations.isEmpty)
    }
}
