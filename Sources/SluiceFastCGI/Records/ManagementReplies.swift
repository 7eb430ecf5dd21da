// The records a responder sends that are not a response: answers to management records, and
// the END_REQUEST of a request it refuses (FastCGI 1.0 sections 4 and 5.5).

/// What `FCGI_GET_VALUES` is answered with (Spec FCGI-2): the responder's true capacity.
struct ManagementValues: Equatable {
    /// `FCGI_MAX_CONNS`: the most connections the responder holds open at once.
    let maximumConnections: Int
    /// `FCGI_MAX_REQS`: the most requests it serves at once.
    let maximumRequests: Int

    /// The value of each variable FastCGI 1.0 defines; `FCGI_MPXS_CONNS` is always 0: one
    /// request at a time per connection.
    func value(of name: some Collection<UInt8>) -> String? {
        if name.elementsEqual("FCGI_MAX_CONNS".utf8) { return String(maximumConnections) }
        if name.elementsEqual("FCGI_MAX_REQS".utf8) { return String(maximumRequests) }
        if name.elementsEqual("FCGI_MPXS_CONNS".utf8) { return "0" }
        return nil
    }
}

/// The bytes of the records a responder sends outside a response.
enum ManagementReplies {
    /// `FCGI_GET_VALUES_RESULT` for the names `asked` encodes: each name the responder knows,
    /// once, with its value, in the order asked; unknown names are left out (section 4.1).
    /// `nil` when `asked` is not well-formed pairs.
    static func valuesResult(asked: [UInt8], values: ManagementValues) -> [UInt8]? {
        var content: [UInt8] = []
        var answered: [[UInt8]] = []
        let wellFormed = asked.withUnsafeBytes { asked in
            NameValuePairs.forEach(in: asked) { name, _ in
                guard let value = values.value(of: name), !answered.contains(where: { $0.elementsEqual(name) }) else { return }
                answered.append(Array(name))
                NameValuePairs.append(name: name, value: value.utf8, to: &content)
            }
        }
        guard wellFormed else { return nil }
        return record(.getValuesResult, requestID: RecordHeader.managementID, content: content)
    }

    /// `FCGI_UNKNOWN_TYPE` naming the type of a management record the responder does not know.
    static func unknownType(_ type: UInt8) -> [UInt8] {
        record(.unknownType, requestID: RecordHeader.managementID, content: [type, 0, 0, 0, 0, 0, 0, 0])
    }

    /// `FCGI_END_REQUEST` with `status` and an `appStatus` of 0.
    static func endRequest(_ requestID: UInt16, _ status: ProtocolStatus) -> [UInt8] {
        record(.endRequest, requestID: requestID, content: [0, 0, 0, 0, status.rawValue, 0, 0, 0])
    }

    /// One record, padded to a multiple of eight bytes as the protocol recommends.
    private static func record(_ type: RecordType, requestID: UInt16, content: [UInt8]) -> [UInt8] {
        let padding = (8 - content.count % 8) % 8
        return RecordHeader(type, requestID: requestID, contentLength: content.count, paddingLength: padding).bytes
            + content + [UInt8](repeating: 0, count: padding)
    }
}
