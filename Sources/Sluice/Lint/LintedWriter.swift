// The writer Lint hands to the application's body producer (Spec RESP-4, RESP-8, RESP-10,
// RESP-11, RESP-14, RESP-16).

/// Passes a body's writes to the server's writer, checking them on the way.
final class LintedWriter: ResponseBodyWriter {
    private struct State {
        var written = 0
        var finished = false
        var warnedAboutContentType = false
        /// Calls that began and have not returned.
        var callsInProgress = 0
        var producerReturned = false
    }

    private let writer: any ResponseBodyWriter
    private let declaredLength: Int?
    private let needsContentType: Bool
    private let reporter: LintReporter
    private let order: BodyOrder
    private let state = Locked(State())

    /// - Parameters:
    ///   - declaredLength: The length the head declares: the application's `Content-Length`, or
    ///     the body's own length, which the server sends as one (Spec RESP-5).
    ///   - needsContentType: Whether the first byte written should warn that the head has no
    ///     `Content-Type`: set for bodies whose length was unknown when the head was checked.
    ///   - order: Where the first body byte written or flushed is noted (RESP-16).
    init(_ writer: any ResponseBodyWriter, declaredLength: Int?, needsContentType: Bool, reporter: LintReporter, order: BodyOrder) {
        self.writer = writer
        self.declaredLength = declaredLength
        self.needsContentType = needsContentType
        self.reporter = reporter
        self.order = order
    }

    func write(_ bytes: [UInt8]) async throws {
        try begin("write")
        defer { end() }
        if !bytes.isEmpty { order.responseBodyStarts() }
        let found = state.withLock { state -> [LintViolation] in
            guard !state.finished else { return [.application("RESP-10", "the body wrote \(bytes.count) bytes after finish()")] }
            let total = state.written + bytes.count
            if let declaredLength, total > declaredLength {
                return [.application("RESP-4", "the body wrote \(total) bytes, more than its Content-Length \(declaredLength)")]
            }
            state.written = total
            guard needsContentType, !bytes.isEmpty, !state.warnedAboutContentType else { return [] }
            state.warnedAboutContentType = true
            return [ResponseChecks.missingContentType]
        }
        try reporter.check(found)
        try await writer.write(bytes)
    }

    func flush() async throws {
        try begin("flush")
        defer { end() }
        order.responseBodyStarts()
        if state.value.finished { throw reporter.fail(.application("RESP-10", "the body flushed after finish()")) }
        try await writer.flush()
    }

    func finish(trailers: Headers?) async throws {
        try begin("finish")
        defer { end() }
        let found = state.withLock { state -> LintViolation? in
            guard !state.finished else { return .application("RESP-10", "the body called finish() a second time") }
            if let shortfall = shortfall(state.written) { return shortfall }
            state.finished = true
            return nil
        }
        try reporter.check((found.map { [$0] } ?? []) + LintedWriter.violations(ofTrailers: trailers ?? Headers()))
        try await writer.finish(trailers: trailers)
    }

    /// Checks a producer that returned without calling ``finish(trailers:)``: the server
    /// finishes the body for it, which is valid only once every declared byte was written.
    func producerReturned() throws(LintViolation) {
        let state = state.value
        if !state.finished, let shortfall = shortfall(state.written) { throw reporter.fail(shortfall) }
    }

    /// Records that the body producer returned, normally or not: the writer may not be used
    /// after that (RESP-14).
    func markProducerReturned() {
        state.withLock { $0.producerReturned = true }
    }

    /// Checks that a call may begin: no other call in progress, and the producer still
    /// running (RESP-14).
    private func begin(_ call: String) throws(LintViolation) {
        let earlier = state.withLock { state in
            defer { state.callsInProgress += 1 }
            return state
        }
        if earlier.producerReturned {
            end()
            throw reporter.fail(.application("RESP-14", "the body writer's \(call)() was called after the body producer returned"))
        }
        if earlier.callsInProgress > 0 {
            end()
            throw reporter.fail(.application("RESP-14", "the body writer's \(call)() was called while another of its calls had not returned"))
        }
    }

    /// Records that a call returned.
    private func end() {
        state.withLock { $0.callsInProgress -= 1 }
    }

    /// The violation of a body that ends after `written` bytes, when it declared more (RESP-4).
    private func shortfall(_ written: Int) -> LintViolation? {
        guard let declaredLength, written < declaredLength else { return nil }
        return .application("RESP-4", "the body ended after \(written) bytes, short of its Content-Length \(declaredLength)")
    }

    /// Trailer fields that break the field grammar (RESP-3) or frame or route the message (RESP-11).
    private static func violations(ofTrailers trailers: Headers) -> [LintViolation] {
        var found = FieldGrammar.violations(of: trailers, kind: "trailer", rule: "RESP-3", party: .application)
        for field in trailers where FieldGrammar.fieldsForbiddenInTrailers.contains(FieldGrammar.lowercased(field.name)) {
            found.append(.application("RESP-11", "trailer \(quoted(field.name)) frames or routes the message; it may not be a trailer"))
        }
        return found
    }
}
