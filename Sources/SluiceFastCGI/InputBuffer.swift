// The bytes a worker has read from its connection and not yet taken apart.

#if os(Linux)
/// A worker's input buffer: read into at its end, taken from at its start. Allocated once
/// per worker; what is left unread when a connection is parked goes with the connection.
final class InputBuffer {
    /// Large enough for a request's records in one read, and for a body chunk as the
    /// application asks for one (``StandardInputBody/chunkSize``).
    static let capacity = 64 * 1024 + 64

    private let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: InputBuffer.capacity, alignment: 8)
    private var start = 0
    private var end = 0

    deinit {
        storage.deallocate()
    }

    /// The bytes read and not yet taken; valid until the next change.
    var unread: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: storage[start..<end])
    }

    /// Whether everything read has been taken.
    var isEmpty: Bool { start == end }

    /// Whether more can be read in without taking anything first.
    var hasFreeSpace: Bool { end - start < storage.count }

    /// Takes the first `count` unread bytes.
    func consume(_ count: Int) {
        start += count
        if start == end {
            start = 0
            end = 0
        }
    }

    /// Takes what `remaining`, a tail of ``unread``, no longer holds.
    func consume(keeping remaining: UnsafeRawBufferPointer) {
        consume(end - start - remaining.count)
    }

    /// The free space after the unread bytes, moved to the front first when that makes more;
    /// empty when the buffer is full of unread bytes.
    func freeSpace() -> UnsafeMutableRawBufferPointer {
        if start > 0 && end == storage.count || start > storage.count / 2 {
            (storage.baseAddress!).copyMemory(from: storage.baseAddress! + start, byteCount: end - start)
            end -= start
            start = 0
        }
        return UnsafeMutableRawBufferPointer(rebasing: storage[end...])
    }

    /// Counts `count` bytes read into ``freeSpace()`` as unread.
    func didRead(_ count: Int) {
        end += count
    }

    /// Replaces the contents with `bytes` (a connection's leftovers, on resuming it).
    func load(_ bytes: [UInt8]) {
        start = 0
        end = bytes.count
        bytes.withUnsafeBytes { bytes in
            guard let source = bytes.baseAddress else { return }
            storage.baseAddress!.copyMemory(from: source, byteCount: bytes.count)
        }
    }

    /// Drops the unread bytes.
    func clear() {
        start = 0
        end = 0
    }

    /// The unread bytes, taken out: the buffer is empty afterwards.
    func takeUnread() -> [UInt8] {
        defer {
            start = 0
            end = 0
        }
        return Array(unread)
    }
}

#endif
