// Holds a response body to the length its head declared.

import Synchronization

/// Why a response body could not be sent as the application wrote it.
public enum ResponseBodyError: Error, Hashable, CustomStringConvertible {
    /// The body wrote more bytes than its `Content-Length` declared (Spec RESP-4).
    case longerThanDeclared(declared: Int)
    /// The body ended after `written` bytes, short of its declared `Content-Length` (Spec RESP-4).
    case shorterThanDeclared(declared: Int, written: Int)
    /// The body was written to after it was finished (Spec RESP-10).
    case writtenAfterFinish

    /// A sentence saying what went wrong.
    public var description: String {
        switch self {
        case let .longerThanDeclared(declared): "the response body is longer than its Content-Length of \(declared)"
        case let .shorterThanDeclared(declared, written):
            "the response body ended after \(written) of the \(declared) bytes its Content-Length declared"
        case .writtenAfterFinish: "the response body was written to after it was finished"
        }
    }
}

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
