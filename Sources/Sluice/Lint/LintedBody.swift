// The request body as Lint hands it to the application: counted against its declared length,
// and read in an order the server can deliver.

extension RequestBody {
    /// A body that reads this one and reports the server's body violations as the
    /// application reads (Spec BODY-1, BODY-3, BODY-4), and the application's reads after its
    /// response body started where `capabilities` say the body does not stream (RESP-16).
    func linted(by reporter: LintReporter, order: BodyOrder, capabilities: ServerCapabilities) -> RequestBody {
        RequestBody(
            expectedLength: expectedLength,
            source: LintedBodySource(body: self, reporter: reporter, order: order, capabilities: capabilities)
        )
    }
}

/// Reads the server's body, counting its bytes.
///
/// It is `@unchecked Sendable` only because `RequestBody.Iterator` does not declare what it
/// is: a value holding a Sendable source. A `RequestBody` calls its source's `next()` from one
/// iterator at a time, so the iterator is never shared.
struct LintedBodySource: RequestBodySource, @unchecked Sendable {
    private let body: RequestBody
    private let reporter: LintReporter
    private let order: BodyOrder
    private let capabilities: ServerCapabilities
    private var iterator: RequestBody.Iterator?
    private var received = 0
    private var ended = false

    init(body: RequestBody, reporter: LintReporter, order: BodyOrder, capabilities: ServerCapabilities) {
        self.body = body
        self.reporter = reporter
        self.order = order
        self.capabilities = capabilities
    }

    mutating func next() async throws -> [UInt8]? {
        // A read that can only end the body — every declared byte is in — waits on nothing.
        let isComplete = ended || body.expectedLength.map { received >= $0 } ?? false
        if !isComplete, let violation = order.readViolation(capabilities: capabilities) { throw reporter.fail(violation) }
        if iterator == nil { iterator = body.makeAsyncIterator() }
        let chunk: [UInt8]?
        do {
            chunk = try await iterator?.next()
        } catch RequestBodyError.alreadyConsumed {
            // The application reads this body for the first time, so the server read it before.
            throw reporter.fail(.server("BODY-1", "the server handed over a request body that was already read"))
        }
        let expected = body.expectedLength
        guard let chunk else {
            ended = true
            if let expected, received < expected {
                throw reporter.fail(
                    .server(
                        "BODY-4",
                        "the request body ended normally after \(received) of \(expected) bytes; it must fail with RequestBodyError.truncated"
                    ))
            }
            return nil
        }
        received += chunk.count
        if let expected, received > expected {
            throw reporter.fail(.server("BODY-3", "the request body yielded \(received) bytes, more than its expectedLength \(expected)"))
        }
        return chunk
    }
}
