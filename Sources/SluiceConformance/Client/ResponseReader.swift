// An HTTP/1.1 response parser (RFC 9112) small enough to trust: status line, fields in order
// with repeats kept, informational responses, and bodies by Content-Length, chunked coding
// with trailers, or until close. It never guesses: bytes that break the grammar throw.

/// Reads responses from a byte source, one after another (pipelining keeps the rest).
final class ResponseReader {
    private let source: any ByteSource
    private var buffer: [UInt8] = []
    private var position = 0
    private var ended = false
    /// Where an interim read started, kept while it may have to be undone.
    private var mark: Int?
    private var bodyArrivals: [(at: ContinuousClock.Instant, total: Int)] = []

    init(source: any ByteSource) {
        self.source = source
    }

    /// Puts bytes the caller received from the source itself in front of what is still to be read.
    func push(_ bytes: [UInt8]) {
        buffer.insert(contentsOf: bytes, at: position)
    }

    /// Takes the bytes received and not read yet: after a `101`, the new protocol's.
    func takeUnread() -> [UInt8] {
        defer {
            buffer = []
            position = 0
        }
        return Array(buffer[position...])
    }

    /// Reads the next final response, and the informational ones before it.
    ///
    /// - Parameter method: The request's method; a `HEAD` response has no body.
    func readResponse(method: String = "GET") throws -> HTTPResponse {
        var response = HTTPResponse()
        while true {
            guard let statusLine = try line() else {
                throw ClientError(description: "the server closed the connection without a response")
            }
            try parse(statusLine: statusLine, into: &response)
            response.fields = try fields()
            guard (100...199).contains(response.status), response.status != 101 else { break }
            response.informational.append(InterimResponse(status: response.status, fields: response.fields))
        }
        response.framing = try framing(of: response, method: method)
        bodyArrivals = []
        switch response.framing {
        case .none:
            break
        case .contentLength(let length):
            response.body = try bytes(upTo: length)
            response.isComplete = response.body.count == length
        case .chunked:
            try readChunks(into: &response)
        case .untilClose:
            response.body = try bytes(upTo: .max)
        }
        response.bodyArrivals = bodyArrivals
        return response
    }

    /// Reads an interim response only: for `Expect: 100-continue`, where the final one may
    /// come later. Returns `nil` if the next response is final (it is kept for `readResponse`).
    func readInterim() throws -> InterimResponse? {
        mark = position
        defer { mark = nil }
        guard let statusLine = try line() else { return nil }
        var response = HTTPResponse()
        try parse(statusLine: statusLine, into: &response)
        let fields = try fields()
        guard (100...199).contains(response.status) else {
            position = mark ?? 0
            return nil
        }
        return InterimResponse(status: response.status, fields: fields)
    }

    private func parse(statusLine: String, into response: inout HTTPResponse) throws {
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), parts[1].count == 3, let status = Int(parts[1]) else {
            throw ClientError(description: "malformed status line \(statusLine.debugDescription)")
        }
        response.version = String(parts[0])
        response.status = status
        response.reason = parts.count > 2 ? String(parts[2]) : ""
    }

    /// Field lines up to the empty line.
    private func fields() throws -> [Field] {
        var fields: [Field] = []
        while let line = try line(), !line.isEmpty {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
                throw ClientError(description: "malformed field line \(line.debugDescription)")
            }
            let name = String(line[..<colon])
            guard !name.contains(" "), !name.contains("\t") else {
                throw ClientError(description: "whitespace in field name \(name.debugDescription)")
            }
            let value = line[line.index(after: colon)...].trimmingLinearWhitespace()
            fields.append(Field(name: name, value: value))
        }
        return fields
    }

    private func framing(of response: HTTPResponse, method: String) throws -> Framing {
        // After a 101 the connection speaks another protocol: nothing of it is this response's.
        if method == "HEAD" || response.status == 204 || response.status == 304 || response.status == 101 { return .none }
        let codings = response.values("Transfer-Encoding")
        if !codings.isEmpty {
            guard codings.joined(separator: ",").lowercased().hasSuffix("chunked") else { return .untilClose }
            return .chunked
        }
        let lengths = Set(response.values("Content-Length"))
        if lengths.count > 1 { throw ClientError(description: "conflicting Content-Length values \(lengths.sorted())") }
        if let declared = lengths.first {
            guard let length = Int(declared), length >= 0 else {
                throw ClientError(description: "malformed Content-Length \(declared.debugDescription)")
            }
            return .contentLength(length)
        }
        return .untilClose
    }

    private func readChunks(into response: inout HTTPResponse) throws {
        while true {
            guard let sizeLine = try line() else {
                response.isComplete = false
                return
            }
            let digits = sizeLine.prefix { $0 != ";" }.trimmingLinearWhitespace()
            guard let size = Int(digits, radix: 16), size >= 0 else {
                throw ClientError(description: "malformed chunk size \(sizeLine.debugDescription)")
            }
            if size == 0 {
                guard let trailers = try? fields() else {
                    response.isComplete = false
                    return
                }
                response.trailers = trailers
                return
            }
            let chunk = try bytes(upTo: size, after: response.body.count)
            response.body += chunk
            guard chunk.count == size, let end = try line(), end.isEmpty else {
                response.isComplete = false
                return
            }
        }
    }

    /// One line without its CRLF (a bare LF is accepted), or `nil` at the end of the stream.
    private func line() throws -> String? {
        while true {
            if let newline = buffer[position...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > position, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let text = String(decoding: buffer[position..<end], as: UTF8.self)
                position = newline + 1
                return text
            }
            guard try fill() else { return nil }
        }
    }

    /// Up to `count` bytes; fewer only when the stream ended.
    private func bytes(upTo count: Int, after earlier: Int = 0) throws -> [UInt8] {
        var collected: [UInt8] = []
        while collected.count < count {
            if position == buffer.count {
                guard try fill() else { break }
            }
            let take = min(count - collected.count, buffer.count - position)
            collected += buffer[position..<(position + take)]
            position += take
            bodyArrivals.append((ContinuousClock.now, earlier + collected.count))
        }
        return collected
    }

    /// Receives more bytes; `false` at the end of the stream.
    private func fill() throws -> Bool {
        guard !ended else { return false }
        let consumed = mark ?? position
        if consumed > 0 {
            buffer.removeFirst(consumed)
            position -= consumed
            mark = mark.map { _ in 0 }
        }
        guard let more = try source.receive() else {
            ended = true
            return false
        }
        buffer += more
        return true
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingLinearWhitespace() -> String {
        let isWhitespace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isWhitespace($0) }), let last = lastIndex(where: { !isWhitespace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
