// CGI meta-variables (RFC 3875 section 4.1), as CGI and FastCGI servers pass them.

public import Sluice
import SluiceGateway

/// The meta-variables of one request, in the order the server passed them, repeats kept.
///
/// CGI programs get them as their environment, FastCGI responders as `FCGI_PARAMS`; both
/// adapters build a ``Request`` from them with ``Request/init(metaVariables:body:errorLog:capabilities:pathSplit:)``.
/// An empty value counts as absent for every optional variable (Spec CGI-2).
///
/// The variables are kept as bytes, `NAME=value` after `NAME=value` in one buffer: an adapter
/// copies what its server passed as it is (``init(count:entry:)``), and building a request
/// makes strings only of the values it uses. A FastCGI responder does this for every request,
/// and most of the variables a server passes are never read.
public struct MetaVariables: Sendable {
    /// Every variable as `NAME=value` in UTF-8, one after another.
    @usableFromInline var bytes: [UInt8] = []
    /// Where each name ends (at its `=`) and then where its value ends, in ``bytes``: two
    /// entries per variable; a name starts where the variable before it ends.
    @usableFromInline var ends: [Int] = []

    /// Creates the set from `count` entries of `NAME=value` bytes, each split at its first `=`:
    /// the C strings of a process environment or of FastCGI params, without their
    /// terminating zeros. An entry without `=` is skipped. The bytes are copied as they are,
    /// each entry in one piece, into one buffer.
    ///
    /// - Parameters:
    ///   - count: How many entries there are.
    ///   - entry: The entry at an index in `0..<count`; called twice per entry.
    @inlinable
    public init(count: Int, entry: (Int) -> UnsafeRawBufferPointer) {
        var byteCount = 0
        for index in 0..<count {
            byteCount += entry(index).count
        }
        var ends: [Int] = []
        bytes = [UInt8](unsafeUninitializedCapacity: byteCount) { buffer, initialized in
            var end = 0
            ends = [Int](unsafeUninitializedCapacity: 2 * count) { endSlots, endCount in
                endCount = 0
                for index in 0..<count {
                    let entry = entry(index)
                    guard let nameLength = Self.nameLength(of: entry) else { continue }
                    (buffer.baseAddress! + end).initialize(
                        from: entry.baseAddress!.assumingMemoryBound(to: UInt8.self), count: entry.count
                    )
                    endSlots[endCount] = end + nameLength
                    end += entry.count
                    endSlots[endCount + 1] = end
                    endCount += 2
                }
            }
            initialized = end
        }
        self.ends = ends
    }

    /// Where the first `=` is in `entry`, which is the length of the name before it; `nil`
    /// without one. Eight bytes at a time: every variable of every FastCGI request is split here.
    @inlinable
    static func nameLength(of entry: UnsafeRawBufferPointer) -> Int? {
        guard let start = entry.baseAddress else { return nil }
        let equalsSigns: UInt64 = 0x3D3D_3D3D_3D3D_3D3D
        var offset = 0
        while offset + 8 <= entry.count {
            // A byte that is `=` is a zero byte of `word ^ equalsSigns`; the lowest byte whose
            // top bit the expression sets is the first zero byte (a classic bit trick).
            let word = UInt64(littleEndian: start.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) ^ equalsSigns
            let zeroBytes = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
            if zeroBytes != 0 { return offset + zeroBytes.trailingZeroBitCount / 8 }
            offset += 8
        }
        while offset < entry.count {
            if entry[offset] == UInt8(ascii: "=") { return offset }
            offset += 1
        }
        return nil
    }

    /// Creates the set from name–value pairs.
    @inlinable
    public init(_ pairs: some Sequence<(String, String)>) {
        ends.reserveCapacity(2 * pairs.underestimatedCount)
        for (var name, var value) in pairs {
            name.withUTF8 { bytes.append(contentsOf: $0) }
            ends.append(bytes.count)
            bytes.append(UInt8(ascii: "="))
            value.withUTF8 { bytes.append(contentsOf: $0) }
            ends.append(bytes.count)
        }
    }

    /// How many variables were passed, repeats counted.
    public var count: Int { ends.count / 2 }

    /// The variables as passed: names and values, in order, repeats kept.
    public var pairs: [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        pairs.reserveCapacity(count)
        forEach { name, value in
            pairs.append((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
        }
        return pairs
    }

    /// The last value passed for a name, or `nil` when it is absent or empty (Spec CGI-2).
    public subscript(name: String) -> String? {
        lastValue(of: name) { $0.isEmpty ? nil : String(decoding: $0, as: UTF8.self) } ?? nil
    }

    /// Whether the name was passed, even with an empty value.
    public func contains(_ name: String) -> Bool {
        lastValue(of: name) { _ in } != nil
    }

    /// `body`'s result for the bytes of the last value passed for `name`; `nil` when the
    /// name was not passed. The variables are searched from the last one back.
    private func lastValue<Result>(of name: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result? {
        var name = name
        return name.withUTF8 { name in
            withBytes { variables in
                for index in (0..<variables.count).reversed() where variables.name(index).isSame(as: name) {
                    return body(variables.value(index))
                }
                return nil
            }
        }
    }

    /// Calls `body` with each variable's name and value bytes, in order.
    func forEach(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        try withBytes { variables in
            for index in 0..<variables.count {
                try body(variables.name(index), variables.value(index))
            }
        }
    }

    /// Calls `body` with the variables' bytes, which are valid only inside it.
    func withBytes<Result>(_ body: (Bytes) throws -> Result) rethrows -> Result {
        try bytes.withUnsafeBufferPointer { bytes in
            try ends.withUnsafeBufferPointer { ends in
                try body(Bytes(bytes: bytes, ends: ends))
            }
        }
    }

    /// The variables' names and values as bytes, borrowed from a ``MetaVariables``.
    struct Bytes {
        let bytes: UnsafeBufferPointer<UInt8>
        let ends: UnsafeBufferPointer<Int>

        /// How many variables there are.
        var count: Int { ends.count / 2 }

        /// The name of the variable at `index`.
        func name(_ index: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: bytes[(index == 0 ? 0 : ends[2 * index - 1])..<ends[2 * index]])
        }

        /// The value of the variable at `index`, after its name's `=`.
        func value(_ index: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: bytes[(ends[2 * index] + 1)..<ends[2 * index + 1]])
        }
    }

    /// The request body's length from `CONTENT_LENGTH`: `nil` when absent or empty.
    ///
    /// - Throws: ``MetaVariableError/invalid(name:value:)`` unless it is a decimal number (Spec CGI-5).
    public func contentLength() throws(MetaVariableError) -> Int? {
        try MetaVariables.contentLength(parsing: self["CONTENT_LENGTH"])
    }

    /// A `CONTENT_LENGTH` value as a length: `nil` for `nil`, a number for decimal digits.
    static func contentLength(parsing text: String?) throws(MetaVariableError) -> Int? {
        guard let text else { return nil }
        guard FieldGrammar.isDigits(text), let length = Int(text) else {
            throw .invalid(name: "CONTENT_LENGTH", value: text)
        }
        return length
    }
}

/// A meta-variable a request cannot be built without is missing or malformed.
public enum MetaVariableError: Error, Hashable, CustomStringConvertible {
    /// A required variable is absent: the server is misconfigured (the adapter answers 500).
    case missing(name: String)
    /// A variable holds a value its grammar forbids (the adapter answers 400).
    case invalid(name: String, value: String)
    /// The path a variable gives would hand the application a dot segment or a control
    /// character (the adapter answers 400; Spec REQ-15).
    case unsafePath(name: String, reason: UnsafePath)

    /// A sentence naming the variable; a value is quoted with its control characters escaped,
    /// so that it cannot split the log line it is written to.
    public var description: String {
        switch self {
        case let .missing(name): "the server passed no \(name)"
        case let .invalid(name, value): "\(printable(name)) has an invalid value: \(quoted(value))"
        case let .unsafePath(name, reason): "\(name) is refused: \(reason)"
        }
    }
}

/// How an adapter decides which part of the path is ``Request/scriptName`` (Spec CGI-3).
///
/// Neither case mounts the application below a prefix: ``Sluice/Mount`` does that, the same way
/// under every adapter (Spec MOUNT-1).
public enum PathSplit: Sendable, Hashable {
    /// Trust `SCRIPT_NAME`, and take ``Request/pathInfo`` from the request-target below it when
    /// the target starts with it; otherwise use `PATH_INFO` as passed. CGI's: a CGI program is
    /// found by its path, so `SCRIPT_NAME` says where it is.
    case fromVariables
    /// ``Request/scriptName`` is empty and ``Request/pathInfo`` the whole decoded
    /// request-target, whatever `SCRIPT_NAME` and `PATH_INFO` split — as the HTTP adapter
    /// reads a request. FastCGI's: servers split those variables three ways, and a responder
    /// is reached by location rules, not by a path of its own.
    case wholePath
}
