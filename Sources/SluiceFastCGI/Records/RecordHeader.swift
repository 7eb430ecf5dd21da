// The eight bytes that start every FastCGI record, and the numbers the protocol gives its
// record types, roles and request endings (FastCGI 1.0 sections 3.3, 5 and 8).

/// A record's type (FastCGI 1.0 section 8).
enum RecordType: UInt8 {
    case beginRequest = 1
    case abortRequest = 2
    case endRequest = 3
    case params = 4
    case standardInput = 5
    case standardOutput = 6
    case standardError = 7
    case data = 8
    case getValues = 9
    case getValuesResult = 10
    case unknownType = 11
}

/// How a responder ends a request in `FCGI_END_REQUEST` (FastCGI 1.0 section 5.5).
enum ProtocolStatus: UInt8 {
    /// The request ran to its end.
    case requestComplete = 0
    /// A second request on a connection that has one in progress: no multiplexing.
    case cannotMultiplexConnection = 1
    /// The request asked for a role the responder does not play.
    case unknownRole = 3
}

/// The role `FCGI_BEGIN_REQUEST` asks for; Sluice plays the responder only (Spec FCGI-2).
enum Role {
    /// `FCGI_RESPONDER`.
    static let responder: UInt16 = 1
}

/// The header of one record: its type, its request, and how many content and padding bytes
/// follow it.
struct RecordHeader: Equatable {
    /// The only version there is.
    static let version: UInt8 = 1
    /// A header's size, and the alignment records are padded to by those who pad.
    static let size = 8
    /// The request id of management records, which belong to the connection (section 3.3).
    static let managementID: UInt16 = 0

    /// The version byte as received; anything but 1 breaks the protocol.
    var version: UInt8 = RecordHeader.version
    /// The type byte as received: a ``RecordType``, or a number no version defines.
    var type: UInt8
    var requestID: UInt16
    var contentLength: Int
    var paddingLength: Int

    /// A header with these fields, version 1.
    init(_ type: RecordType, requestID: UInt16, contentLength: Int, paddingLength: Int = 0) {
        precondition(contentLength <= 0xFFFF && paddingLength <= 0xFF, "a record holds at most 65535 bytes and 255 of padding")
        self.type = type.rawValue
        self.requestID = requestID
        self.contentLength = contentLength
        self.paddingLength = paddingLength
    }

    /// The header in `bytes`, which holds exactly eight. Every field fits its range by
    /// construction: content 0...65535, padding 0...255 (Spec FCGI-6).
    init(_ bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == Self.size)
        version = bytes[0]
        type = bytes[1]
        requestID = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
        contentLength = Int(bytes[4]) << 8 | Int(bytes[5])
        paddingLength = Int(bytes[6])
    }

    /// The record type, when it is one FastCGI 1.0 defines.
    var recordType: RecordType? { RecordType(rawValue: type) }

    /// Writes the eight bytes at `destination`.
    func write(to destination: UnsafeMutableRawPointer) {
        destination.storeBytes(of: version, toByteOffset: 0, as: UInt8.self)
        destination.storeBytes(of: type, toByteOffset: 1, as: UInt8.self)
        destination.storeBytes(of: UInt8(requestID >> 8), toByteOffset: 2, as: UInt8.self)
        destination.storeBytes(of: UInt8(truncatingIfNeeded: requestID), toByteOffset: 3, as: UInt8.self)
        destination.storeBytes(of: UInt8(contentLength >> 8), toByteOffset: 4, as: UInt8.self)
        destination.storeBytes(of: UInt8(truncatingIfNeeded: contentLength), toByteOffset: 5, as: UInt8.self)
        destination.storeBytes(of: UInt8(paddingLength), toByteOffset: 6, as: UInt8.self)
        destination.storeBytes(of: 0 as UInt8, toByteOffset: 7, as: UInt8.self)
    }

    /// The eight bytes, as an array.
    var bytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: Self.size) { buffer, count in
            write(to: UnsafeMutableRawPointer(buffer.baseAddress!))
            count = Self.size
        }
    }
}
