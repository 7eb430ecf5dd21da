// A ResponseWriter that records everything a gateway writes, for tests of the core.
// Shared by the tests of the core, the gateway and the CGI wire: use it rather than writing another.

package import Sluice
import Synchronization

/// Records the head, body chunks, flushes and trailers written to it, in order.
package final class RecordingWriter: ResponseWriter {
    /// One thing written, in the order it happened.
    package enum Event: Equatable, Sendable {
        case informational(Int)
        case head(Int)
        case body([UInt8])
        case flush
        case finish(Headers?)
        /// A whole response written in one call: status and body.
        case whole(Int, [UInt8])
    }

    private let log = Mutex<[Event]>([])
    private let failure: (any Error)?
    private let writesWholeResponses: Bool
    private let writeDelay: Duration?

    /// Creates a writer; when `failure` is given every write throws it (a client that went away).
    /// With `writesWholeResponses` it takes whole responses in one call, as the HTTP adapter does.
    /// With `writeDelay` each body write suspends that long first, as a slow transport does.
    package init(failing failure: (any Error)? = nil, writesWholeResponses: Bool = false, writeDelay: Duration? = nil) {
        self.failure = failure
        self.writesWholeResponses = writesWholeResponses
        self.writeDelay = writeDelay
    }

    /// The final status written, if any.
    package var statusCode: Int? {
        for event in events {
            switch event {
            case let .head(code), let .whole(code, _): return code
            default: continue
            }
        }
        return nil
    }

    /// Everything written, in order.
    package var events: [Event] { log.withLock { $0 } }

    /// The head's header fields.
    private let headFields = Mutex<Headers?>(nil)
    package var headers: Headers? { headFields.withLock { $0 } }

    /// The body bytes written, concatenated.
    package var body: [UInt8] {
        events.reduce(into: []) { bytes, event in
            switch event {
            case let .body(chunk), let .whole(_, chunk): bytes += chunk
            default: break
            }
        }
    }

    /// The body as UTF-8 text.
    package var text: String { String(decoding: body, as: UTF8.self) }

    package func writeInformational(status: Response.Status, headers: Headers) async throws {
        log.withLock { $0.append(.informational(status.code)) }
    }

    package func writeHead(status: Response.Status, headers: Headers) async throws {
        headFields.withLock { $0 = headers }
        log.withLock { $0.append(.head(status.code)) }
    }

    package func writeWholeResponse(status: Response.Status, headers: Headers, body: [UInt8]) async throws -> Bool {
        guard writesWholeResponses else { return false }
        if let failure { throw failure }
        headFields.withLock { $0 = headers }
        log.withLock { $0.append(.whole(status.code, body)) }
        return true
    }

    package func write(_ bytes: [UInt8]) async throws {
        if let writeDelay { try await Task.sleep(for: writeDelay) }
        if let failure { throw failure }
        log.withLock { $0.append(.body(bytes)) }
    }

    package func flush() async throws {
        if let failure { throw failure }
        log.withLock { $0.append(.flush) }
    }

    package func finish(trailers: Headers?) async throws {
        if let failure { throw failure }
        log.withLock { $0.append(.finish(trailers)) }
    }
}
