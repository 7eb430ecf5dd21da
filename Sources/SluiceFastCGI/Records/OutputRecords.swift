// The records of one response, gathered in a buffer before they go to the socket.

/// A worker's output buffer: `FCGI_STDOUT` and `FCGI_STDERR` records of the current request,
/// complete but for the `FCGI_STDOUT` record being filled, and at the end `FCGI_END_REQUEST`.
///
/// The buffer goes to the socket when the next bytes do not fit, on flush, and at the
/// request's end: a response that fits is sent with its ending in one write. It is allocated
/// once per worker and used for every request it serves.
final class OutputRecords {
    /// The buffer's size: a response of up to 8 KiB fits it whole with its ending (Spec
    /// LIFE-3: the ending goes out with the response).
    static let capacity = 16 * 1024
    /// The most content one record carries: a multiple of eight, under the protocol's 65535.
    static let largestRecord = 32 * 1024

    private let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: OutputRecords.capacity, alignment: 8)
    /// How many bytes of `storage` are in use.
    private var count = 0
    /// Where the header of the `FCGI_STDOUT` record being filled is, if one is.
    private var openRecord: Int?
    /// The request the records are for.
    var requestID: UInt16 = 1
    /// Whether the request wrote to `FCGI_STDERR`, which its ending then closes.
    private var wroteErrors = false

    deinit {
        storage.deallocate()
    }

    /// The bytes gathered, the open record completed: valid until the next change.
    func completeRecords() -> UnsafeRawBufferPointer {
        closeOutputRecord()
        return UnsafeRawBufferPointer(rebasing: storage[..<count])
    }

    /// Whether anything waits to be sent.
    var isEmpty: Bool { count == 0 }

    /// Starts on a request: nothing gathered.
    func start(requestID: UInt16) {
        self.requestID = requestID
        clear()
        wroteErrors = false
    }

    /// Forgets what was gathered: it was sent, or is never to be.
    func clear() {
        count = 0
        openRecord = nil
    }

    /// Adds `bytes` to `FCGI_STDOUT`; false, adding nothing, when they do not all fit.
    func appendOutput(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard !bytes.isEmpty else { return true }
        let header = openRecord == nil ? RecordHeader.size : 0
        guard bytes.count + header <= Self.capacity - count else { return false }
        if openRecord == nil {
            openRecord = count
            count += RecordHeader.size
        }
        (storage.baseAddress! + count).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        count += bytes.count
        return true
    }

    /// Adds a record of `bytes` to `FCGI_STDERR`, as much of them as fits, and returns how
    /// many that was: none when the buffer must be sent first.
    func appendError(_ bytes: UnsafeRawBufferPointer) -> Int {
        closeOutputRecord()
        let length = min(bytes.count, Self.capacity - count - RecordHeader.size - Self.endingSize)
        guard length > 0 else { return 0 }
        RecordHeader(.standardError, requestID: requestID, contentLength: length).write(to: storage.baseAddress! + count)
        (storage.baseAddress! + count + RecordHeader.size).copyMemory(from: bytes.baseAddress!, byteCount: length)
        count += RecordHeader.size + length
        wroteErrors = true
        return length
    }

    /// Room for the ending ``appendEnding()`` adds, at most.
    static let endingSize = 4 * RecordHeader.size

    /// Adds the end of a whole response (Spec FCGI-5): the empty `FCGI_STDOUT` record, the
    /// empty `FCGI_STDERR` record when errors were written, and `FCGI_END_REQUEST`, complete,
    /// `appStatus` 0. The caller makes room first (``endingFits``).
    func appendEnding() {
        closeOutputRecord()
        precondition(Self.capacity - count >= Self.endingSize)
        append(RecordHeader(.standardOutput, requestID: requestID, contentLength: 0))
        if wroteErrors {
            append(RecordHeader(.standardError, requestID: requestID, contentLength: 0))
        }
        append(RecordHeader(.endRequest, requestID: requestID, contentLength: 8))
        storage.baseAddress!.advanced(by: count).initializeMemory(as: UInt8.self, repeating: 0, count: 8)
        storage[count + 4] = ProtocolStatus.requestComplete.rawValue
        count += 8
    }

    /// Whether ``appendEnding()`` has room without sending first.
    var endingFits: Bool { Self.capacity - count >= Self.endingSize }

    /// The header of a record of `length` bytes of `FCGI_STDOUT`, for content sent without
    /// being copied into the buffer.
    func outputHeader(length: Int) -> RecordHeader {
        RecordHeader(.standardOutput, requestID: requestID, contentLength: length)
    }

    private func append(_ header: RecordHeader) {
        header.write(to: storage.baseAddress! + count)
        count += RecordHeader.size
    }

    /// Writes the open record's header, now that its length is known.
    private func closeOutputRecord() {
        guard let start = openRecord else { return }
        RecordHeader(.standardOutput, requestID: requestID, contentLength: count - start - RecordHeader.size)
            .write(to: storage.baseAddress! + start)
        openRecord = nil
    }
}
