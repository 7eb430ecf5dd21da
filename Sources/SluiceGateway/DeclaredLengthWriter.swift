// Holds a response body to the length its head declared.

import Sluice
import Synchronization

/// Passes body bytes to an adapter's writer, counting them against the declared length.
final class DeclaredLengthWriter<Wire: ResponseWriter>: ResponseBodyWriter {
    private struct State {
        var written = 0
        var finished = false
    }

    private let wire: Wire
    private let declaredLength: Int?
    private let state = Mutex(State())

    init(_ wire: Wire, declaredLength: Int?) {
        self.wire = wire
        self.declaredLength = declaredLength
    }

    /// The body bytes passed on so far.
    var bytesWritten: Int { state.withLock { $0.written } }

    func write(_ bytes: [UInt8]) async throws {
        try state.withLock { state in
            guard !state.finished else { throw ResponseBodyError.writtenAfterFinish }
            if let declaredLength, state.written + bytes.count > declaredLength {
                throw ResponseBodyError.longerThanDeclared(declared: declaredLength)
            }
            state.written += bytes.count
        }
        guard !bytes.isEmpty else { return }
        try await wire.write(bytes)
    }

    func flush() async throws {
        guard !(state.withLock { $0.finished }) else { throw ResponseBodyError.writtenAfterFinish }
        try await wire.flush()
    }

    func finish(trailers: Headers?) async throws {
        try state.withLock { state in
            guard !state.finished else { throw ResponseBodyError.writtenAfterFinish }
            if let declaredLength, state.written < declaredLength {
                throw ResponseBodyError.shorterThanDeclared(declared: declaredLength, written: state.written)
            }
            state.finished = true
        }
        try await wire.finish(trailers: trailers)
    }

    /// Finishes the body unless its producer already did.
    func finishIfNeeded() async throws {
        guard !(state.withLock { $0.finished }) else { return }
        try await finish(trailers: nil)
    }
}
