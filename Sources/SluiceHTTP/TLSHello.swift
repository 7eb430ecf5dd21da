// Reading the two hellos of a TLS handshake, which travel in the clear: the name the client
// asked for, the protocols it offered and the cipher suite the server chose, which NIOSSL does
// not report.

/// The parts of a ClientHello and a ServerHello (RFC 8446 §4.1.2, §4.1.3; RFC 5246 §7.4.1)
/// the server reports to applications as `SSL_TLS_SNI` and `SSL_CIPHER`, and checks ALPN by.
/// Each function takes the bytes a peer sent first — TLS records — and answers `nil` while
/// they do not hold the whole field yet, or do not hold a hello at all.
enum TLSHello {
    /// The record type of handshake messages.
    static let handshakeRecord: UInt8 = 22

    /// What the server reads of a ClientHello.
    struct ClientOffer: Equatable {
        /// The host name of the `server_name` extension (RFC 6066 §3), if it has one.
        var serverName: String?
        /// The protocols of the `application_layer_protocol_negotiation` extension (RFC 7301),
        /// `nil` when the client sent none.
        var applicationProtocols: [String]?
    }

    /// What the ClientHello offers; `complete` says whether the bytes hold the whole first
    /// record, so that an empty offer is final.
    static func offer(inClientHello bytes: [UInt8]) -> (offer: ClientOffer, complete: Bool) {
        var offer = ClientOffer()
        var reader = Reader(bytes)
        guard let body = reader.firstHandshake(ofType: 1) else { return (offer, reader.sawWholeRecord) }
        var hello = Reader(body)
        guard hello.skip(2 + 32), hello.skipVector(lengthBytes: 1), hello.skipVector(lengthBytes: 2),
            hello.skipVector(lengthBytes: 1), let extensionsLength = hello.integer(bytes: 2),
            var extensions = hello.take(extensionsLength).map(Reader.init)
        else { return (offer, true) }
        while let type = extensions.integer(bytes: 2), let length = extensions.integer(bytes: 2), let data = extensions.take(length) {
            var values = Reader(data)
            switch type {
            case 0:
                // A list of one host name, of name type 0.
                guard values.skip(2), values.integer(bytes: 1) == 0, let nameLength = values.integer(bytes: 2),
                    let name = values.take(nameLength)
                else { continue }
                offer.serverName = String(decoding: name, as: UTF8.self)
            case 16:
                guard values.skip(2) else { continue }
                var protocols: [String] = []
                while let nameLength = values.integer(bytes: 1), let name = values.take(nameLength) {
                    protocols.append(String(decoding: name, as: UTF8.self))
                }
                offer.applicationProtocols = protocols
            default:
                continue
            }
        }
        return (offer, true)
    }

    /// The cipher suite of the ServerHello.
    static func cipherSuite(inServerHello bytes: [UInt8]) -> UInt16? {
        var reader = Reader(bytes)
        guard let body = reader.firstHandshake(ofType: 2) else { return nil }
        var hello = Reader(body)
        guard hello.skip(2 + 32), hello.skipVector(lengthBytes: 1), let suite = hello.integer(bytes: 2) else { return nil }
        return UInt16(suite)
    }

    /// A cursor over bytes that fails, rather than traps, past their end.
    private struct Reader {
        private let bytes: [UInt8]
        private var offset = 0
        /// Whether ``firstHandshake(ofType:)`` found its record whole.
        private(set) var sawWholeRecord = false

        init(_ bytes: some Collection<UInt8>) {
            self.bytes = Array(bytes)
        }

        mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
            guard count >= 0, offset + count <= bytes.count else { return nil }
            defer { offset += count }
            return bytes[offset..<(offset + count)]
        }

        mutating func skip(_ count: Int) -> Bool { take(count) != nil }

        mutating func integer(bytes count: Int) -> Int? {
            take(count)?.reduce(0) { $0 << 8 | Int($1) }
        }

        mutating func skipVector(lengthBytes: Int) -> Bool {
            guard let length = integer(bytes: lengthBytes) else { return false }
            return skip(length)
        }

        /// The body of the handshake message of `type` that opens the first record, when the
        /// record is whole (a hello is far smaller than a record's 16 KiB).
        mutating func firstHandshake(ofType type: UInt8) -> ArraySlice<UInt8>? {
            guard integer(bytes: 1) == Int(TLSHello.handshakeRecord), skip(2), let length = integer(bytes: 2),
                let record = take(length)
            else { return nil }
            sawWholeRecord = true
            var message = Reader(record)
            guard message.integer(bytes: 1) == Int(type), let messageLength = message.integer(bytes: 3) else { return nil }
            return message.take(messageLength)
        }
    }
}
