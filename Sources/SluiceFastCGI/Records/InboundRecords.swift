// The records a front server sends on one connection, taken apart as their bytes arrive.

/// What the front server sent, one event at a time, from whatever bytes have arrived: a pull
/// parser over one connection's records that also tracks its request (FastCGI 1.0 sections
/// 3.3 and 5; Spec FCGI-2, FCGI-4, FCGI-6).
///
/// It keeps no bytes but a partial header and the content of a record it must see whole, so
/// a connection can be parked between any two reads and resumed by another worker. Padding
/// is skipped wherever it is and however long, records of request ids that are not active
/// are ignored (section 3.3), and an event is given as soon as the bytes it needs are there:
/// a record's padding is never waited for.
struct InboundRecords {
    /// Where the connection's request is.
    enum Phase: Equatable {
        /// No request is active: the next `FCGI_BEGIN_REQUEST` is awaited.
        case idle
        /// A request began; its `FCGI_PARAMS` are being read.
        case params(requestID: UInt16)
        /// The params ended; `FCGI_STDIN` is being read.
        case body(requestID: UInt16)
        /// `FCGI_STDIN` ended; the request is active until the responder ends it.
        case bodyEnded(requestID: UInt16)
    }

    /// What arrived.
    enum Event {
        /// The next event needs more bytes.
        case needBytes
        /// `FCGI_BEGIN_REQUEST`: a request is active; its params come next.
        case begin(BeginRequest)
        /// A piece of the params stream, valid while the bytes it was read from are.
        case params(UnsafeRawBufferPointer)
        /// The params stream's empty record: the params are complete.
        case paramsEnded
        /// A piece of `FCGI_STDIN`, valid while the bytes it was read from are.
        case body(UnsafeRawBufferPointer)
        /// `FCGI_STDIN`'s empty record: the body is complete.
        case bodyEnded
        /// Body content comes next, and the caller asked for none.
        case bodyWaiting
        /// `FCGI_ABORT_REQUEST` for the active request (Spec FCGI-4).
        case aborted
        /// `FCGI_GET_VALUES`, with the names asked for encoded as pairs (Spec FCGI-2).
        case getValues([UInt8])
        /// A management record of a type the responder does not know: `FCGI_UNKNOWN_TYPE` answers it.
        case unknownManagementRecord(type: UInt8)
        /// `FCGI_BEGIN_REQUEST` for a second request while one is active: `FCGI_CANT_MPX_CONN` answers it.
        case beginWhileBusy(requestID: UInt16)
        /// The records break the protocol; the connection must be closed (Spec FCGI-6).
        case protocolError(String)
    }

    /// The body of `FCGI_BEGIN_REQUEST` (section 5.1).
    struct BeginRequest: Equatable {
        let requestID: UInt16
        let role: UInt16
        /// `FCGI_KEEP_CONN`: the connection stays open after the request (Spec FCGI-3).
        let keepsConnection: Bool
    }

    /// What becomes of the content of the record being read.
    private enum Content {
        case params
        case body
        /// The eight bytes of `FCGI_BEGIN_REQUEST`, gathered in `beginBytes`.
        case beginRequest(requestID: UInt16)
        /// Gathered whole in `valuesAsked`.
        case getValues
        /// Read past: a record of a request that is not active, or one already answered.
        case skipped
    }

    private enum Framing {
        /// Between records, with `filled` bytes of the next header in `headerBytes`.
        case header(filled: Int)
        case content(Content, remaining: Int, padding: Int)
        case padding(remaining: Int)
    }

    private(set) var phase = Phase.idle
    private var framing = Framing.header(filled: 0)
    private var headerBytes: UInt64 = 0
    private var beginBytes: UInt64 = 0
    private var valuesAsked: [UInt8] = []

    /// The id of the active request, if one is.
    var activeRequestID: UInt16? {
        switch phase {
        case .idle: nil
        case let .params(id), let .body(id), let .bodyEnded(id): id
        }
    }

    /// Whether the parser stands between records, holding nothing of a next one.
    var isBetweenRecords: Bool {
        if case .header(filled: 0) = framing { true } else { false }
    }

    /// The responder sent `FCGI_END_REQUEST`: the request is no longer active, and records
    /// that still come for it are ignored — also the rest of the one being read.
    mutating func endRequest() {
        phase = .idle
        switch framing {
        case let .content(.body, remaining, padding), let .content(.params, remaining, padding):
            framing = .content(.skipped, remaining: remaining, padding: padding)
        default:
            break
        }
    }

    /// Takes the next event from the front of `input`, removing the bytes it used.
    ///
    /// - Parameter bodyLimit: The most body bytes to return; 0 stops before body content
    ///   with ``Event/bodyWaiting``, leaving it in `input` for a later call.
    mutating func next(from input: inout UnsafeRawBufferPointer, bodyLimit: Int) -> Event {
        while true {
            switch framing {
            case let .header(filled):
                let count = min(RecordHeader.size - filled, input.count)
                guard count > 0 else { return .needBytes }
                Self.gather(from: &input, count: count, into: &headerBytes, at: filled)
                guard filled + count == RecordHeader.size else {
                    framing = .header(filled: filled + count)
                    return .needBytes
                }
                framing = .header(filled: 0)
                let header = withUnsafeBytes(of: headerBytes) { RecordHeader($0) }
                if let event = start(header) { return event }
            case let .content(content, remaining, padding):
                let isBody = if case .body = content { true } else { false }
                let count = min(remaining, input.count, isBody ? bodyLimit : .max)
                guard count > 0 else { return isBody && bodyLimit == 0 ? .bodyWaiting : .needBytes }
                let piece = UnsafeRawBufferPointer(rebasing: input[..<count])
                input = UnsafeRawBufferPointer(rebasing: input[count...])
                framing = remaining > count ? .content(content, remaining: remaining - count, padding: padding) : .padding(remaining: padding)
                switch content {
                case .params: return .params(piece)
                case .body: return .body(piece)
                case let .beginRequest(requestID):
                    var pieceInput = piece
                    Self.gather(from: &pieceInput, count: count, into: &beginBytes, at: 8 - remaining)
                    if remaining == count { return began(requestID) }
                case .getValues:
                    valuesAsked.append(contentsOf: piece)
                    if remaining == count { return .getValues(valuesAsked) }
                case .skipped:
                    break
                }
            case let .padding(remaining):
                let count = min(remaining, input.count)
                input = UnsafeRawBufferPointer(rebasing: input[count...])
                guard remaining == count else {
                    framing = .padding(remaining: remaining - count)
                    return .needBytes
                }
                framing = .header(filled: 0)
            }
        }
    }

    /// Decides what a record is from its header: returns its event when the header alone
    /// makes one, and sets up reading its content.
    private mutating func start(_ header: RecordHeader) -> Event? {
        guard header.version == RecordHeader.version else {
            return .protocolError("a record of version \(header.version); FastCGI has version 1 only")
        }
        if header.requestID == RecordHeader.managementID {
            guard header.type == RecordType.getValues.rawValue else {
                read(header, as: .skipped)
                return .unknownManagementRecord(type: header.type)
            }
            valuesAsked.removeAll()
            read(header, as: .getValues)
            return header.contentLength == 0 ? .getValues([]) : nil
        }
        let active = activeRequestID
        if header.type == RecordType.beginRequest.rawValue {
            guard let active else {
                guard header.contentLength == 8 else {
                    return .protocolError("FCGI_BEGIN_REQUEST with \(header.contentLength) bytes of content instead of 8")
                }
                read(header, as: .beginRequest(requestID: header.requestID))
                return nil
            }
            guard header.requestID != active else {
                return .protocolError("FCGI_BEGIN_REQUEST for request \(active), which is already active")
            }
            read(header, as: .skipped)
            return .beginWhileBusy(requestID: header.requestID)
        }
        guard header.requestID == active else {
            // A request that is not active: its records are ignored (section 3.3).
            read(header, as: .skipped)
            return nil
        }
        switch (header.recordType, phase) {
        case (.abortRequest, _):
            read(header, as: .skipped)
            return .aborted
        case let (.params, .params(id)):
            read(header, as: .params)
            guard header.contentLength == 0 else { return nil }
            phase = .body(requestID: id)
            return .paramsEnded
        case let (.standardInput, .body(id)):
            read(header, as: .body)
            guard header.contentLength == 0 else { return nil }
            phase = .bodyEnded(requestID: id)
            return .bodyEnded
        default:
            return .protocolError("a record of type \(header.type) for request \(header.requestID) while \(phase)")
        }
    }

    /// Reads the record's content (none when it has none) as `content`, then its padding.
    private mutating func read(_ header: RecordHeader, as content: Content) {
        framing =
            header.contentLength > 0
            ? .content(content, remaining: header.contentLength, padding: header.paddingLength)
            : .padding(remaining: header.paddingLength)
    }

    /// The request `FCGI_BEGIN_REQUEST`'s gathered body describes, now active.
    private mutating func began(_ requestID: UInt16) -> Event {
        phase = .params(requestID: requestID)
        return withUnsafeBytes(of: beginBytes) { body in
            .begin(BeginRequest(requestID: requestID, role: UInt16(body[0]) << 8 | UInt16(body[1]), keepsConnection: body[2] & 1 != 0))
        }
    }

    /// Copies `count` bytes from the front of `input` into `storage`'s bytes from `offset`.
    private static func gather(from input: inout UnsafeRawBufferPointer, count: Int, into storage: inout UInt64, at offset: Int) {
        withUnsafeMutableBytes(of: &storage) { bytes in
            bytes.baseAddress!.advanced(by: offset).copyMemory(from: input.baseAddress!, byteCount: count)
        }
        input = UnsafeRawBufferPointer(rebasing: input[count...])
    }
}
