// A small cleartext HTTP/2 client (h2c by prior knowledge, RFC 9113 §3.3), blocking and frame
// by frame, so that cases can send what a well-behaved library would not — and read what the
// server answers, RST_STREAM and GOAWAY included.

/// The suite's own HTTP/2 client, on a ``Connection``: it sends the preface and its SETTINGS
/// (a 16 MiB window, so that responses are never held back by the client), answers SETTINGS and
/// PING, keeps each stream's response, and respects the server's flow-control windows when it
/// sends a body. Header blocks go out as HPACK literals (``HPACKEncoder``); the server's are
/// decoded in full (``HPACKDecoder``).
final class HTTP2Client {
    /// What arrived on one stream.
    struct Stream {
        var informational: [[(String, String)]] = []
        var head: [(String, String)]?
        var body: [UInt8] = []
        var trailers: [(String, String)]?
        var ended = false
        /// The error code of an RST_STREAM from the server.
        var reset: UInt32?

        /// The `:status` of the final head, 0 before it.
        var status: Int { head?.first { $0.0 == ":status" }.flatMap { Int($0.1) } ?? 0 }
    }

    /// The server answered the preface with something other than HTTP/2.
    struct NotHTTP2: Error, CustomStringConvertible {
        let description: String
    }

    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
    private static let window = 1 << 24

    private let connection: Connection
    private var received: [UInt8] = []
    private var decoder = HPACKDecoder()
    /// A header block still awaiting its CONTINUATION frames: stream, flags, bytes.
    private var pendingBlock: (stream: UInt32, flags: UInt8, bytes: [UInt8])?
    private(set) var streams: [UInt32: Stream] = [:]
    /// The error code of the server's GOAWAY, once one came.
    private(set) var goAway: UInt32?
    private(set) var isClosed = false
    /// The server's SETTINGS, by identifier.
    private(set) var serverSettings: [UInt16: UInt32] = [:]
    private var sawServerSettings = false
    private var nextStream: UInt32 = 1
    private var connectionWindow = 65535
    private var streamWindows: [UInt32: Int] = [:]

    /// Opens HTTP/2 on `connection`; throws ``NotHTTP2`` when the server does not answer with
    /// its SETTINGS.
    init(connection: Connection) throws {
        self.connection = connection
        try connection.write(
            Self.preface + frame(type: 4, flags: 0, stream: 0, payload: setting(2, 0) + setting(4, UInt32(Self.window)))
                + frame(type: 8, flags: 0, stream: 0, payload: bigEndian(UInt32(Self.window - 65535), bytes: 4)))
        while !sawServerSettings {
            guard let bytes = try connection.receive() else { throw NotHTTP2(description: "the server closed the connection after the preface") }
            if received.isEmpty, bytes.starts(with: Array("HTTP/".utf8)) {
                throw NotHTTP2(description: "the server answered the preface with \(String(decoding: bytes.prefix(40), as: UTF8.self).debugDescription)")
            }
            try process(bytes)
        }
    }

    /// Sends a request's HEADERS (and its body in DATA frames, and `trailers` last); returns the
    /// stream. The pseudo-header fields come first, `:authority` left out when `authority` is nil.
    @discardableResult
    func request(
        _ method: String, _ path: String, authority: String?, _ fields: [(String, String)] = [], body: [UInt8]? = nil,
        trailers: [(String, String)]? = nil
    ) throws -> UInt32 {
        let stream = nextStream
        nextStream += 2
        streams[stream] = Stream()
        streamWindows[stream] = Int(serverSettings[4] ?? 65535)
        var block = [(":method", method), (":scheme", "http"), (":path", path)]
        if let authority { block.append((":authority", authority)) }
        let ends = body == nil && trailers == nil
        try connection.write(frame(type: 1, flags: 0x4 | (ends ? 0x1 : 0), stream: stream, payload: HPACKEncoder.encode(block + fields)))
        if let body { try send(body, on: stream, ending: trailers == nil) }
        if let trailers { try connection.write(frame(type: 1, flags: 0x5, stream: stream, payload: HPACKEncoder.encode(trailers))) }
        return stream
    }

    /// Sends `bytes` in DATA frames as the server's windows allow.
    func send(_ bytes: [UInt8], on stream: UInt32, ending: Bool) throws {
        var offset = 0
        repeat {
            let room = min(connectionWindow, streamWindows[stream] ?? 0, Int(serverSettings[5] ?? 16384), bytes.count - offset)
            if room <= 0, offset < bytes.count {
                guard try pump(), goAway == nil, streams[stream]?.reset == nil else { throw ClientError(description: "the server stopped taking the body") }
                continue
            }
            let last = offset + room == bytes.count
            try connection.write(frame(type: 0, flags: last && ending ? 0x1 : 0, stream: stream, payload: Array(bytes[offset..<(offset + room)])))
            connectionWindow -= room
            streamWindows[stream, default: 0] -= room
            offset += room
        } while offset < bytes.count
    }

    /// Resets `stream` with `code` (8: CANCEL).
    func reset(_ stream: UInt32, code: UInt32 = 8) throws {
        try connection.write(frame(type: 3, flags: 0, stream: stream, payload: bigEndian(code, bytes: 4)))
    }

    /// Reads until `stream` ended or was reset; throws when the connection closes first or
    /// nothing arrives within the connection's timeout.
    func response(_ stream: UInt32) throws -> Stream {
        while let state = streams[stream], !state.ended, state.reset == nil {
            guard try pump() else {
                throw ClientError(description: "the connection closed before stream \(stream) ended (GOAWAY \(goAway.map(String.init) ?? "none"))")
            }
        }
        return streams[stream] ?? Stream()
    }

    /// Reads until `condition` holds; false when the connection closed first.
    func wait(until condition: (HTTP2Client) -> Bool) throws -> Bool {
        while !condition(self) {
            guard try pump() else { return condition(self) }
        }
        return true
    }

    /// Reads what arrives next and handles its frames; false once the server closed.
    private func pump() throws -> Bool {
        guard !isClosed, let bytes = try connection.receive() else {
            isClosed = true
            return false
        }
        try process(bytes)
        return true
    }

    private func process(_ bytes: [UInt8]) throws {
        received += bytes
        var offset = 0
        while received.count - offset >= 9 {
            let length = Int(received[offset]) << 16 | Int(received[offset + 1]) << 8 | Int(received[offset + 2])
            guard received.count - offset >= 9 + length else { break }
            let type = received[offset + 3]
            let flags = received[offset + 4]
            let stream =
                UInt32(received[offset + 5] & 0x7f) << 24 | UInt32(received[offset + 6]) << 16
                | UInt32(received[offset + 7]) << 8 | UInt32(received[offset + 8])
            let payload = Array(received[(offset + 9)..<(offset + 9 + length)])
            offset += 9 + length
            try handle(type: type, flags: flags, stream: stream, payload: payload)
        }
        received.removeFirst(offset)
    }

    private func handle(type: UInt8, flags: UInt8, stream: UInt32, payload: [UInt8]) throws {
        switch type {
        case 0:  // DATA
            let data = unpadded(payload, flags: flags)
            streams[stream, default: Stream()].body += data
            if flags & 0x1 != 0 { streams[stream, default: Stream()].ended = true }
            if !payload.isEmpty {
                let increment = bigEndian(UInt32(payload.count), bytes: 4)
                try connection.write(frame(type: 8, flags: 0, stream: 0, payload: increment) + frame(type: 8, flags: 0, stream: stream, payload: increment))
            }
        case 1:  // HEADERS
            var block = unpadded(payload, flags: flags)
            if flags & 0x20 != 0 { block.removeFirst(min(5, block.count)) }
            pendingBlock = (stream, flags, block)
            if flags & 0x4 != 0 { try endBlock() }
        case 9:  // CONTINUATION
            pendingBlock?.bytes += payload
            if flags & 0x4 != 0 { try endBlock() }
        case 3:  // RST_STREAM
            streams[stream, default: Stream()].reset = integer(payload.prefix(4))
        case 4 where flags & 0x1 == 0:  // SETTINGS
            for start in stride(from: 0, to: payload.count - 5, by: 6) {
                let identifier = UInt16(payload[start]) << 8 | UInt16(payload[start + 1])
                let value = integer(payload[(start + 2)..<(start + 6)])
                if identifier == 4 {
                    let change = Int(value) - Int(serverSettings[4] ?? 65535)
                    for key in streamWindows.keys { streamWindows[key, default: 0] += change }
                }
                serverSettings[identifier] = value
            }
            sawServerSettings = true
            try connection.write(frame(type: 4, flags: 0x1, stream: 0, payload: []))
        case 6 where flags & 0x1 == 0:  // PING
            try connection.write(frame(type: 6, flags: 0x1, stream: 0, payload: payload))
        case 7:  // GOAWAY
            goAway = integer(payload.dropFirst(4).prefix(4))
        case 8:  // WINDOW_UPDATE
            let increment = Int(integer(payload.prefix(4)) & 0x7fff_ffff)
            if stream == 0 { connectionWindow += increment } else { streamWindows[stream, default: 0] += increment }
        default:
            break
        }
    }

    private func endBlock() throws {
        guard let (stream, flags, bytes) = pendingBlock else { return }
        pendingBlock = nil
        let fields = try decoder.decode(bytes)
        var state = streams[stream, default: Stream()]
        let status = fields.first { $0.0 == ":status" }.flatMap { Int($0.1) }
        if let status, status < 200 {
            state.informational.append(fields)
        } else if state.head == nil {
            state.head = fields
        } else {
            state.trailers = fields
        }
        if flags & 0x1 != 0 { state.ended = true }
        streams[stream] = state
    }

    private func unpadded(_ payload: [UInt8], flags: UInt8) -> [UInt8] {
        guard flags & 0x8 != 0, let padding = payload.first else { return payload }
        return Array(payload.dropFirst().dropLast(Int(padding)))
    }

    private func frame(type: UInt8, flags: UInt8, stream: UInt32, payload: [UInt8]) -> [UInt8] {
        bigEndian(UInt32(payload.count), bytes: 3) + [type, flags] + bigEndian(stream, bytes: 4) + payload
    }

    private func setting(_ identifier: UInt16, _ value: UInt32) -> [UInt8] {
        bigEndian(UInt32(identifier), bytes: 2) + bigEndian(value, bytes: 4)
    }

    private func bigEndian(_ value: UInt32, bytes count: Int) -> [UInt8] {
        (0..<count).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) }
    }

    private func integer(_ bytes: some Collection<UInt8>) -> UInt32 {
        bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }
}
