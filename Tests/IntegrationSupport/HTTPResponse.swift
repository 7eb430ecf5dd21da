// HTTPResponse.swift — what a request through a real server returned, as curl saw it.
public import Foundation

/// One header field as it came over the wire: its name's case kept.
public struct HTTPHeaderField: Sendable, Hashable, CustomStringConvertible {
    /// The field name, as sent.
    public let name: String
    /// The field value, without surrounding whitespace.
    public let value: String

    /// Creates a field.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// `Name: value`.
    public var description: String {
        "\(name): \(value)"
    }
}

/// A final HTTP response: status, header fields in order (duplicates kept), and body.
public struct HTTPResponse: Sendable {
    /// The status line, such as `HTTP/1.1 200 OK`.
    public let statusLine: String
    /// The status code.
    public let status: Int
    /// The header fields in the order received, repeated fields kept separate.
    public let headers: [HTTPHeaderField]
    /// The body bytes (after removing chunked framing; nothing for HEAD).
    public let body: Data
    /// Status lines of interim responses that came first, such as `HTTP/1.1 100 Continue`.
    public let interimStatusLines: [String]

    /// Creates a response.
    public init(statusLine: String, status: Int, headers: [HTTPHeaderField], body: Data, interimStatusLines: [String] = []) {
        self.statusLine = statusLine
        self.status = status
        self.headers = headers
        self.body = body
        self.interimStatusLines = interimStatusLines
    }

    /// Every value of the fields named `name` (compared case-insensitively), in order.
    public func values(of name: String) -> [String] {
        headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    /// The first value of the field named `name`, or nil.
    public func value(of name: String) -> String? {
        values(of: name).first
    }

    /// The body decoded as UTF-8, invalid bytes replaced.
    public var text: String {
        String(decoding: body, as: UTF8.self)
    }

    /// Parses what `curl -D` wrote: one header block per response, interim (1xx) ones
    /// first, the final one last.
    static func parse(headerDump: Data, body: Data) throws -> HTTPResponse {
        let text = String(decoding: headerDump, as: UTF8.self)
        var blocks: [[Substring]] = [[]]
        // "\r\n" is one Character in Swift, so split on newline Characters, not on "\n".
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            if line.isEmpty {
                if !blocks[blocks.count - 1].isEmpty {
                    blocks.append([])
                }
            } else {
                blocks[blocks.count - 1].append(line)
            }
        }
        let responses = blocks.filter { $0.first?.hasPrefix("HTTP/") == true }
        guard let final = responses.last, let statusLine = final.first else {
            throw HarnessError("curl wrote no HTTP status line; header dump:\n\(text)")
        }
        let statusField = statusLine.split(separator: " ").dropFirst().first
        guard let statusField, let status = Int(statusField) else {
            throw HarnessError("unreadable status line: \(statusLine)")
        }
        let headers = final.dropFirst().compactMap { line -> HTTPHeaderField? in
            guard let colon = line.firstIndex(of: ":") else {
                return nil
            }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            return HTTPHeaderField(name: String(line[..<colon]), value: value)
        }
        return HTTPResponse(
            statusLine: String(statusLine),
            status: status,
            headers: headers,
            body: body,
            interimStatusLines: responses.dropLast().compactMap { $0.first.map(String.init) }
        )
    }
}

/// A response read as it arrived, for streaming tests: the complete response plus each
/// piece of body in the order and at the time curl passed it on.
public struct StreamedResponse: Sendable {
    /// One read from curl's output: some body bytes and when they arrived.
    public struct Piece: Sendable {
        /// The bytes of this read.
        public let bytes: Data
        /// When they arrived, measured from the moment curl was started.
        public let arrival: Duration
    }

    /// The complete response.
    public let response: HTTPResponse
    /// The body as it arrived, in order; concatenated they are `response.body`.
    public let pieces: [Piece]

    /// Creates a streamed response.
    public init(response: HTTPResponse, pieces: [Piece]) {
        self.response = response
        self.pieces = pieces
    }

    /// When the body received so far first contained `marker`, or nil if it never did:
    /// for "piece 3 arrived about 2 s after piece 1".
    public func arrival(of marker: String) -> Duration? {
        let needle = Data(marker.utf8)
        var received = Data()
        for piece in pieces {
            // Only the tail that could hold a match spanning the previous piece is searched again.
            let searchStart = max(0, received.count - needle.count + 1)
            received.append(piece.bytes)
            if received[(received.startIndex + searchStart)...].range(of: needle) != nil {
                return piece.arrival
            }
        }
        return nil
    }
}
