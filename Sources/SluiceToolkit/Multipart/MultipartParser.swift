// The multipart body state machine (RFC 2046 section 5.1, RFC 7578): bytes in, events out,
// no I/O, so that every byte sequence can be tried on it alone (Tests, Fuzz).

public import Sluice

/// Parses a `multipart/form-data` body fed in chunks of any size.
///
/// Feed bytes with ``append(_:)``, then take events with ``next()`` until it returns `nil`
/// (it needs more bytes); at the end of the input call ``finish()``. A part's body is handed
/// out as it is found, never held whole: the parser keeps at most one boundary's length of
/// body bytes, plus the header block of the part being read.
public struct MultipartParser: Sendable {
    /// What the parser found.
    public enum Event: Sendable, Equatable {
        /// A part begins, with its header fields.
        case partBegan(Headers)
        /// Bytes of the current part's body, in order.
        case bodyBytes([UInt8])
        /// The current part ended.
        case partEnded
        /// The close delimiter: the body is complete. Whatever follows is ignored.
        case finished
    }

    /// Why a body is refused.
    public enum Failure: Error, Sendable, Equatable {
        /// The body does not follow the format; the string says where.
        case malformed(String)
        /// The input ended before the close delimiter.
        case truncated
        /// More parts than ``MultipartLimits/maxParts``.
        case tooManyParts(limit: Int)
        /// A header block longer than ``MultipartLimits/maxPartHeaderBytes``.
        case headerTooLarge(limit: Int)
    }

    private enum State {
        /// Before the first delimiter: bytes are skipped.
        case preamble
        /// Just after a delimiter: `--` closes the body, optional spaces and CRLF open a part.
        case delimiter
        /// After a delimiter and some spaces (transport padding): only more spaces and CRLF may follow.
        case padding
        /// Reading a part's header lines.
        case headers(Headers, bytes: Int)
        /// Inside a part's body.
        case body
        /// After the close delimiter.
        case epilogue
    }

    private let delimiter: [UInt8]
    private let limits: MultipartLimits
    private var state = State.preamble
    private var buffer: [UInt8]
    private var position = 0
    /// Where the search for the end of a header line resumes: bytes before it hold no CRLF.
    private var lineSearchStart = 0
    private var parts = 0

    /// Creates a parser for a body whose `Content-Type` named `boundary`; `nil` when the
    /// boundary is not 1 to 70 characters of those RFC 2046 allows.
    public init?(boundary: String, limits: MultipartLimits = MultipartLimits()) {
        guard Self.isValid(boundary: boundary) else { return nil }
        delimiter = Array("\r\n--\(boundary)".utf8)
        self.limits = limits
        // The first delimiter may open the body without a line break before it: one is
        // supplied, so that every delimiter is found the same way.
        buffer = [0x0D, 0x0A]
    }

    /// Whether `boundary` is 1 to 70 of RFC 2046's `bchars`, not ending in a space.
    static func isValid(boundary: String) -> Bool {
        let allowed = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ".utf8)
        let bytes = boundary.utf8
        return (1...70).contains(bytes.count) && bytes.allSatisfy(allowed.contains) && bytes.last != UInt8(ascii: " ")
    }

    /// Adds input bytes.
    public mutating func append(_ bytes: [UInt8]) {
        if position > 0, position >= buffer.count / 2 {
            buffer.removeSubrange(..<position)
            lineSearchStart = max(0, lineSearchStart - position)
            position = 0
        }
        buffer += bytes
    }

    /// The next event, or `nil` when more input is needed.
    public mutating func next() throws(Failure) -> Event? {
        while true {
            switch state {
            case .preamble:
                guard let found = findDelimiter() else {
                    position = max(position, buffer.count - (delimiter.count - 1))
                    return nil
                }
                position = found + delimiter.count
                state = .delimiter
            case .delimiter, .padding:
                switch try afterDelimiter() {
                case .needsInput: return nil
                case .proceeds: continue
                case let .found(event): return event
                }
            case let .headers(headers, bytes):
                switch try readHeaderLine(headers, bytes) {
                case .needsInput: return nil
                case .proceeds: continue
                case let .found(event): return event
                }
            case .body:
                if let found = findDelimiter() {
                    if found > position {
                        defer { position = found }
                        return .bodyBytes(Array(buffer[position..<found]))
                    }
                    position = found + delimiter.count
                    state = .delimiter
                    return .partEnded
                }
                // Keep what could be the start of a delimiter; hand out the rest.
                let safeEnd = buffer.count - (delimiter.count - 1)
                guard safeEnd > position else { return nil }
                defer { position = safeEnd }
                return .bodyBytes(Array(buffer[position..<safeEnd]))
            case .epilogue:
                position = buffer.count
                return nil
            }
        }
    }

    /// Declares the end of the input.
    ///
    /// - Throws: ``Failure/truncated`` unless the close delimiter has been found.
    public func finish() throws(Failure) {
        guard case .epilogue = state else { throw .truncated }
    }

    /// What one step of the state machine came to.
    private enum Step {
        case needsInput
        case proceeds
        case found(Event)
    }

    /// After `--boundary`: the close delimiter's `--`, or transport padding and CRLF that open
    /// a part.
    private mutating func afterDelimiter() throws(Failure) -> Step {
        guard position + 1 < buffer.count else { return .needsInput }
        if case .delimiter = state, buffer[position] == UInt8(ascii: "-"), buffer[position + 1] == UInt8(ascii: "-") {
            position += 2
            state = .epilogue
            return .found(.finished)
        }
        var index = position
        while index < buffer.count, buffer[index] == 0x20 || buffer[index] == 0x09 { index += 1 }
        guard index + 1 < buffer.count else {
            // The padding read so far is consumed; `--` can no longer close the body.
            if index > position { state = .padding }
            position = index
            return .needsInput
        }
        guard buffer[index] == 0x0D, buffer[index + 1] == 0x0A else {
            throw .malformed("a boundary is followed by something other than a line break")
        }
        guard parts < limits.maxParts else { throw .tooManyParts(limit: limits.maxParts) }
        parts += 1
        position = index + 2
        state = .headers(Headers(), bytes: 0)
        return .proceeds
    }

    /// One header line, or the empty line that ends the block.
    private mutating func readHeaderLine(_ headers: Headers, _ bytesSoFar: Int) throws(Failure) -> Step {
        let lineEnd = buffer.withUnsafeBufferPointer { bytes -> Int? in
            var from = max(position, lineSearchStart)
            while let carriageReturn = firstOffset(of: 0x0D, in: bytes, from: from) {
                if carriageReturn + 1 == bytes.count { return nil }
                if bytes[carriageReturn + 1] == 0x0A { return carriageReturn }
                from = carriageReturn + 1
            }
            return nil
        }
        guard let lineEnd else {
            // A lone CR at the very end may still be followed by LF: search again from it.
            lineSearchStart = max(position, buffer.count - 1)
            guard bytesSoFar + buffer.count - position <= limits.maxPartHeaderBytes else {
                throw .headerTooLarge(limit: limits.maxPartHeaderBytes)
            }
            return .needsInput
        }
        let total = bytesSoFar + lineEnd + 2 - position
        guard total <= limits.maxPartHeaderBytes else { throw .headerTooLarge(limit: limits.maxPartHeaderBytes) }
        let line = buffer[position..<lineEnd]
        position = lineEnd + 2
        if line.isEmpty {
            state = .body
            return .found(.partBegan(headers))
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
            line[..<colon].allSatisfy(Self.isTokenByte)
        else {
            throw .malformed("a part's header line is not `name: value`")
        }
        guard !line.contains(where: { $0 == 0 || $0 == 0x0D || $0 == 0x0A }) else {
            throw .malformed("a part's header line holds a control character")
        }
        var updated = headers
        updated.append(
            name: String(decoding: line[..<colon], as: UTF8.self),
            value: String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingASCIIWhitespace()
        )
        state = .headers(updated, bytes: total)
        return .proceeds
    }

    /// The index of the next delimiter at or after `position`, or `nil`.
    private func findDelimiter() -> Int? {
        buffer.withUnsafeBufferPointer { bytes in
            var from = position
            while let candidate = firstOffset(of: delimiter[0], in: bytes, from: from) {
                guard candidate + delimiter.count <= bytes.count else { return nil }
                var matches = true
                for offset in 1..<delimiter.count where bytes[candidate + offset] != delimiter[offset] {
                    matches = false
                    break
                }
                if matches { return candidate }
                from = candidate + 1
            }
            return nil
        }
    }

    /// Whether a byte may appear in a header field name (RFC 9110 `tchar`).
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}

extension MultipartParser.Failure {
    /// The failure as the error a client gets: 400 for a malformed or truncated body, 413 for
    /// a limit passed.
    var httpError: HTTPError {
        switch self {
        case let .malformed(reason): HTTPError(.badRequest, detail: "the multipart body is malformed: \(reason)")
        case .truncated: HTTPError(.badRequest, detail: "the multipart body ended before its close delimiter")
        case let .tooManyParts(limit): HTTPError(.contentTooLarge, detail: "the multipart body has more than \(limit) parts")
        case let .headerTooLarge(limit): HTTPError(.contentTooLarge, detail: "a part's header block is longer than \(limit) bytes")
        }
    }
}
