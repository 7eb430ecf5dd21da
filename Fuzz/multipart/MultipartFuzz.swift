// Fuzz harness: the multipart/form-data state machine.
// The first byte picks a chunk size; the rest is the body. Invariants: limits hold, no more
// body bytes come out than went in, and the parts are the same whether the body is fed whole
// or in chunks.
// Module under test: SluiceToolkit

import Sluice
@testable import SluiceToolkit

/// What a body parsed to: each part's header fields and body, then how it ended.
private struct Outcome: Equatable {
    var parts: [(headers: [Headers.Field], body: [UInt8])] = []
    var ending = ""

    static func == (lhs: Outcome, rhs: Outcome) -> Bool {
        lhs.ending == rhs.ending && lhs.parts.elementsEqual(rhs.parts) { $0.headers == $1.headers && $0.body == $1.body }
    }
}

private func parse(_ body: ArraySlice<UInt8>, chunk: Int) -> Outcome {
    let limits = MultipartLimits(maxParts: 16, maxPartHeaderBytes: 256)
    guard var parser = MultipartParser(boundary: "b0undary", limits: limits) else { fatalError("the boundary is valid") }
    var outcome = Outcome()
    do {
        var offset = body.startIndex
        repeat {
            let end = min(offset + chunk, body.endIndex)
            parser.append(Array(body[offset..<end]))
            offset = end
            while let event = try parser.next() {
                switch event {
                case let .partBegan(headers): outcome.parts.append((headers.fields, []))
                case let .bodyBytes(bytes): outcome.parts[outcome.parts.count - 1].body += bytes
                case .partEnded: break
                case .finished: outcome.ending = "finished"
                }
            }
        } while offset < body.endIndex
        try parser.finish()
    } catch {
        outcome.ending = "\(error)"
    }
    precondition(outcome.parts.count <= 16, "more parts than the limit")
    precondition(outcome.parts.reduce(0) { $0 + $1.body.count } <= body.count, "more body bytes out than in")
    return outcome
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMultipart(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let body = input[1...]
    precondition(parse(body, chunk: Int(input[0] % 32) + 1) == parse(body, chunk: max(body.count, 1)), "chunking changed the parse")
    return 0
}
