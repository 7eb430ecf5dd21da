// The request id: taken from the front server's header when it is sane, made when absent.

public import Sluice
import Synchronization

/// The id of one request, for the access log, the error log and the response: taken from the
/// front server's header (`X-Request-ID` by default) when it holds one, made otherwise.
public enum RequestID {
    /// The longest id taken from a request; a longer value is replaced by a new id.
    public static let maximumLength = 128

    /// The id of the request the current task is handling, or `nil` outside a request or
    /// when no ``Sluice/Middleware/requestID(header:)`` ran.
    public static var current: String? { RequestContext.current?[Key.self] }

    /// The key the id is stored under in the request's context.
    public enum Key: StorageKey {
        /// The id itself.
        public typealias Value = String
    }

    /// Whether `value` may be used as an id: 1 to ``maximumLength`` visible ASCII characters,
    /// none of them a quote or a backslash, so that it needs no escaping in any log format.
    public static func isAcceptable(_ value: String) -> Bool {
        let bytes = value.utf8
        guard !bytes.isEmpty, bytes.count <= maximumLength else { return false }
        return bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
    }

    /// A new id: 32 lowercase hexadecimal digits, as nginx's `$request_id` — 64 bits drawn at
    /// random once per process, then this process's count of ids made, scrambled by a bijection
    /// keyed at random once per process. Ids are unique within a process and, with 64 random
    /// bits apart, across the processes and machines that log together, and no id costs a
    /// system call (drawing fresh random bits per id was two `getrandom` calls, a tenth of a
    /// hello request's CPU behind `serve`). They are not secrets: do not use one as a token.
    public static func make() -> String {
        let count = issued.add(1, ordering: .relaxed).newValue
        let words = (IDSeeds.shared.process, scrambled(count ^ IDSeeds.shared.key))
        return String(
            unsafeUninitializedCapacity: 32,
            initializingUTF8With: { text in
                writeHexadecimal(words.0, into: text, at: 0)
                writeHexadecimal(words.1, into: text, at: 16)
                return 32
            })
    }

    /// Writes `word` as 16 lowercase hexadecimal digits at `offset` in `text`.
    private static func writeHexadecimal(_ word: UInt64, into text: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        let digits: StaticString = "0123456789abcdef"
        for index in 0..<16 {
            text[offset + index] = digits.utf8Start[Int(word >> UInt64(60 - 4 * index) & 0xF)]
        }
    }

    /// How many ids this process made.
    private static let issued = Atomic<UInt64>(0)

    /// SplitMix64's finaliser: a bijection on 64-bit words, so distinct counts give distinct
    /// words, and consecutive ones look unrelated.
    private static func scrambled(_ value: UInt64) -> UInt64 {
        var word = value &+ 0x9E37_79B9_7F4A_7C15
        word = (word ^ (word >> 30)) &* 0xBF58_476D_1CE4_E5B9
        word = (word ^ (word >> 27)) &* 0x94D0_49BB_1331_11EB
        return word ^ (word >> 31)
    }
}

/// The random bits of this process's request ids, drawn at its first id: after `serve` forks
/// its workers, so each worker draws its own.
private struct IDSeeds: Sendable {
    /// The first half of every id.
    let process = UInt64.random(in: .min ... .max)
    /// Keys the scrambling of the count.
    let key = UInt64.random(in: .min ... .max)

    static let shared = IDSeeds()
}

extension Request {
    /// This request's id, once ``Sluice/Middleware/requestID(header:)`` ran.
    public var requestID: String? { context[RequestID.Key.self] }
}

extension Middleware {
    /// Gives every request an id: the value of `header` when the front server sent an acceptable
    /// one (``RequestID/isAcceptable(_:)``), a new one (``RequestID/make()``) otherwise. The id
    /// goes into the request's context (``Sluice/Request/requestID``, ``RequestID/current``), the
    /// request's `header` (replacing what was there, so code that forwards it passes the same
    /// id on) and the response's `header` — but for a local redirect, which must stay a lone
    /// `Location` field for the server to follow it.
    ///
    /// Put it outside ``accessLog(_:format:level:)`` so that the log line carries the id, and
    /// give swift-log ``RequestID/metadataProvider`` so that every line logged during the
    /// request does.
    public static func requestID(header: String = "X-Request-ID") -> Middleware {
        Middleware { request, next in
            var request = request
            let sent = request.headers[header]
            let id: String
            if let sent, request.headers.values(for: header).count == 1, RequestID.isAcceptable(sent) {
                id = sent
            } else {
                id = RequestID.make()
                request.headers.remove(header)
                request.headers.append(name: header, value: id)
            }
            request.context[RequestID.Key.self] = id
            var response = try await next.respond(to: request)
            // A local redirect is a lone Location field (Spec HTTP-5, CGI-11): another field
            // would make it a response the client gets.
            guard !response.isLocalRedirect else { return response }
            response.headers.remove(header)
            response.headers.append(name: header, value: id)
            return response
        }
    }
}
