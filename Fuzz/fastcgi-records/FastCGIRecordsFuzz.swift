// Fuzz harness: the FastCGI records a front server sends, the params they carry, and the
// records the responder writes back (FastCGI 1.0 sections 3 to 5; Spec FCGI-2, FCGI-5, FCGI-6).
// Module under test: SluiceCGIWire
// Also compiled: Sources/SluiceFastCGI/Records/InboundRecords.swift Sources/SluiceFastCGI/Records/ManagementReplies.swift Sources/SluiceFastCGI/Records/NameValuePairs.swift Sources/SluiceFastCGI/Records/OutputRecords.swift Sources/SluiceFastCGI/Records/ParamsCollector.swift Sources/SluiceFastCGI/Records/RecordHeader.swift Sources/SluiceFastCGI/Rejection+Params.swift
// (the record layer alone: the rest of SluiceFastCGI needs swift-log and swift-service-lifecycle,
// which a harness built by swiftc without the package manager cannot import)

import Sluice
import SluiceGateway

/// What arrived, pieces of one stream joined, so that runs over different splits compare.
private enum Seen: Equatable {
    case begin(InboundRecords.BeginRequest)
    case params([UInt8])
    case paramsEnded
    case body([UInt8])
    case bodyEnded
    case aborted
    case getValues([UInt8])
    case unknownManagementRecord(UInt8)
    case beginWhileBusy(UInt16)
    case protocolError
}

/// The events of `stream` arriving `chunk` bytes at a time, each body read taking at most
/// `bodyLimit` bytes. The responder ends each request when its body ended or it was aborted,
/// as a worker does; parsing stops at the first protocol error.
private func events(of stream: [UInt8], arrivingIn chunk: Int, bodyLimit: Int) -> [Seen] {
    var records = InboundRecords()
    var seen: [Seen] = []
    var offset = 0
    reading: while offset < stream.count {
        let end = min(stream.count, offset + chunk)
        let arrived = Array(stream[offset..<end])
        offset = end
        let broken = arrived.withUnsafeBytes { bytes -> Bool in
            var input = bytes
            while true {
                let before = input.count
                let event = records.next(from: &input, bodyLimit: bodyLimit)
                let next: Seen
                switch event {
                case .needBytes:
                    require(input.isEmpty, "needBytes with \(input.count) bytes left")
                    return false
                case .bodyWaiting:
                    fatalError("broken promise: bodyWaiting with a body limit of \(bodyLimit)")
                case let .begin(begin): next = .begin(begin)
                case let .params(piece):
                    require(!piece.isEmpty && piece.count <= before - input.count, "a params piece of \(piece.count) bytes")
                    next = .params(Array(piece))
                case .paramsEnded: next = .paramsEnded
                case let .body(piece):
                    require(!piece.isEmpty && piece.count <= bodyLimit, "a body piece of \(piece.count) bytes, limit \(bodyLimit)")
                    next = .body(Array(piece))
                case .bodyEnded: next = .bodyEnded
                case .aborted: next = .aborted
                case let .getValues(asked): next = .getValues(asked)
                case let .unknownManagementRecord(type): next = .unknownManagementRecord(type)
                case let .beginWhileBusy(id): next = .beginWhileBusy(id)
                case .protocolError: next = .protocolError
                }
                switch (seen.last, next) {
                case let (.params(before)?, .params(more)): seen[seen.count - 1] = .params(before + more)
                case let (.body(before)?, .body(more)): seen[seen.count - 1] = .body(before + more)
                default: seen.append(next)
                }
                switch next {
                case .protocolError: return true
                case .bodyEnded, .aborted: records.endRequest()
                default: break
                }
                require(records.activeRequestID != nil || !{ if case .params = next { true } else { false } }(), "params with no request")
            }
        }
        if broken { break reading }
    }
    return seen
}

/// The pairs in `bytes`, decoded here on their own (section 3.4), or nil when a length points
/// past the end.
private func pairs(in bytes: [UInt8]) -> [([UInt8], [UInt8])]? {
    var offset = 0
    func length() -> Int? {
        guard offset < bytes.count else { return nil }
        if bytes[offset] < 0x80 {
            offset += 1
            return Int(bytes[offset - 1])
        }
        guard offset + 4 <= bytes.count else { return nil }
        defer { offset += 4 }
        return bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) } & 0x7FFF_FFFF
    }
    var found: [([UInt8], [UInt8])] = []
    while offset < bytes.count {
        guard let nameLength = length(), let valueLength = length(), nameLength + valueLength <= bytes.count - offset else { return nil }
        let name = Array(bytes[offset..<(offset + nameLength)])
        let value = Array(bytes[(offset + nameLength)..<(offset + nameLength + valueLength)])
        offset += nameLength + valueLength
        found.append((name, value))
    }
    return found
}

/// The params of a request through ``ParamsCollector`` agree with the pairs decoded here:
/// the limits answer 431, a broken length is malformed, and otherwise every pair whose name
/// holds no `=` is a variable, in order, after `FCGI_ROLE`.
private func checkParams(_ stream: [UInt8], maximumLength: Int, maximumCount: Int) {
    var collector = ParamsCollector(maximumLength: maximumLength, maximumCount: maximumCount)
    // In two pieces, as records bring them.
    let middle = stream.count / 2
    stream[..<middle].withUnsafeBytes { collector.append($0) }
    stream[middle...].withUnsafeBytes { collector.append($0) }
    var entries: [UInt8] = []
    var ends: [Int] = []
    let outcome = collector.variables(entries: &entries, ends: &ends)
    let decoded = pairs(in: stream)
    switch outcome {
    case .malformed:
        require(decoded == nil && stream.count <= collector.keptLimit, "well-formed params called malformed")
    case let .rejected(rejection):
        require(rejection.status == 431, "params refused with \(rejection.status)")
        let over = decoded.map { pairs in
            pairs.count > maximumCount || pairs.reduce(0) { $0 + $1.0.count + $1.1.count } > maximumLength
        }
        require(stream.count > collector.keptLimit || over == true, "params within the limits refused")
    case let .variables(variables):
        guard let decoded else { fatalError("broken promise: malformed params accepted") }
        require(decoded.count <= maximumCount, "\(decoded.count) params over the limit of \(maximumCount)")
        let expected = [("FCGI_ROLE", "RESPONDER")] + decoded.filter { !$0.0.contains(UInt8(ascii: "=")) }.map { name, value in
            let name = String(decoding: name, as: UTF8.self)
            let value = name == "CONTENT_LENGTH" && value == Array("-1".utf8) ? "" : String(decoding: value, as: UTF8.self)
            return (name, value)
        }
        let got = variables.pairs
        require(got.count == expected.count && zip(got, expected).allSatisfy { $0.name == $1.0 && $0.value == $1.1 },
                "params \(expected) became \(got)")
    }
}

/// The answer to `FCGI_GET_VALUES` is one record of well-formed pairs naming each known
/// variable at most once, in the order asked.
private func checkValuesResult(asked: [UInt8]) {
    let values = ManagementValues(maximumConnections: 1024, maximumRequests: 32)
    guard let reply = ManagementReplies.valuesResult(asked: asked, values: values) else {
        return require(pairs(in: asked) == nil, "well-formed FCGI_GET_VALUES not answered")
    }
    require(reply.count >= RecordHeader.size, "a reply shorter than a header")
    let header = reply.withUnsafeBytes { RecordHeader(UnsafeRawBufferPointer(rebasing: $0[..<RecordHeader.size])) }
    require(header.recordType == .getValuesResult && header.requestID == 0, "the reply is \(header)")
    require(reply.count == RecordHeader.size + header.contentLength + header.paddingLength, "the reply's lengths do not add up")
    let content = Array(reply[RecordHeader.size..<(RecordHeader.size + header.contentLength)])
    guard let answered = pairs(in: content) else { fatalError("broken promise: a malformed FCGI_GET_VALUES_RESULT") }
    let names = answered.map { String(decoding: $0.0, as: UTF8.self) }
    require(Set(names).count == names.count, "a name answered twice: \(names)")
    let askedNames = (pairs(in: asked) ?? []).map { String(decoding: $0.0, as: UTF8.self) }
    var remaining = askedNames[...]
    for name in names {
        guard let index = remaining.firstIndex(of: name) else { fatalError("broken promise: \(name) answered out of order or not asked") }
        remaining = remaining[(index + 1)...]
    }
}

/// The records a worker writes, from a script of writes the input makes, read back with
/// ``RecordHeader``: standard output and standard error arrive whole and in order, every
/// record belongs to the request, and the response ends with the records FCGI-5 names.
private func checkOutput(_ input: inout FuzzInput) {
    let output = OutputRecords()
    let requestID = UInt16(input.number(ofBytes: 2))
    output.start(requestID: requestID)
    var sent: [UInt8] = []
    var written: [UInt8] = []
    var errors: [UInt8] = []
    func send() {
        sent += Array(output.completeRecords())
        output.clear()
    }
    // At most 16 writes: enough to fill and send the buffer many times over.
    for _ in 0..<16 where !input.isEmpty {
        let operation = input.byte()
        let length = input.number(ofBytes: 2) % (OutputRecords.capacity + 64)
        // Each write's bytes are its operation byte, so that order and origin show when read back.
        let bytes = [UInt8](repeating: operation, count: length)
        switch operation % 3 {
        case 0:
            let fits = bytes.withUnsafeBytes { output.appendOutput($0) }
            if fits {
                written += bytes
            } else {
                send()
                // Too big for the buffer, whole: a worker writes a record of its own.
                var rest = bytes[...]
                while !rest.isEmpty {
                    let piece = rest.prefix(OutputRecords.largestRecord)
                    sent += output.outputHeader(length: piece.count).bytes + piece
                    written += piece
                    rest = rest.dropFirst(piece.count)
                }
            }
        case 1:
            var rest = bytes[...]
            while !rest.isEmpty {
                let taken = rest.withUnsafeBytes { output.appendError($0) }
                errors += rest.prefix(taken)
                rest = rest.dropFirst(taken)
                if taken == 0 { send() }
            }
        default:
            send()
        }
    }
    if !output.endingFits { send() }
    output.appendEnding()
    send()

    var offset = 0
    var readOutput: [UInt8] = []
    var readErrors: [UInt8] = []
    var types: [RecordType] = []
    while offset < sent.count {
        require(sent.count - offset >= RecordHeader.size, "a header cut short")
        let header = sent.withUnsafeBytes { RecordHeader(UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + RecordHeader.size)])) }
        offset += RecordHeader.size
        require(header.requestID == requestID && header.version == 1, "a record of request \(header.requestID)")
        require(sent.count - offset >= header.contentLength + header.paddingLength, "a record's content cut short")
        let content = sent[offset..<(offset + header.contentLength)]
        offset += header.contentLength + header.paddingLength
        guard let type = header.recordType else { fatalError("broken promise: a record of type \(header.type)") }
        require(types.last != .endRequest, "a record after FCGI_END_REQUEST")
        types.append(type)
        switch type {
        case .standardOutput: readOutput += content
        case .standardError: readErrors += content
        case .endRequest: require(content.count == 8 && content[content.startIndex + 4] == 0, "FCGI_END_REQUEST is \(Array(content))")
        default: fatalError("broken promise: a worker wrote a record of type \(type)")
        }
    }
    require(readOutput == written, "standard output read back as \(readOutput.count) bytes, not \(written.count)")
    require(readErrors == errors, "standard error read back as \(readErrors.count) bytes, not \(errors.count)")
    require(types.last == .endRequest, "the response does not end with FCGI_END_REQUEST")
}

/// The input's first byte picks the harness's part and a split: records fed whole and in
/// chunks of 1...64 bytes with a body limit of 1...16 must make the same events; each
/// request's params and each FCGI_GET_VALUES are then checked. Or (first byte odd) a script
/// of writes for the output records.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFastCGIRecords(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    var input = FuzzInput(data, count)
    let choice = input.byte()
    guard choice & 1 == 0 else {
        checkOutput(&input)
        return 0
    }
    let chunk = Int(choice >> 1) % 64 + 1
    let bodyLimit = Int(input.byte()) % 16 + 1
    let limits = (length: Int(input.byte()) * 4, count: Int(input.byte()) % 32)
    let stream = input.rest()
    let whole = events(of: stream, arrivingIn: max(stream.count, 1), bodyLimit: .max)
    require(whole == events(of: stream, arrivingIn: chunk, bodyLimit: bodyLimit), "the events depend on how the bytes arrive")
    for event in whole {
        switch event {
        case let .params(params): checkParams(params, maximumLength: limits.length, maximumCount: limits.count)
        case let .getValues(asked): checkValuesResult(asked: asked)
        default: break
        }
    }
    return 0
}
