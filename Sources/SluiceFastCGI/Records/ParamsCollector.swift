// A request's FCGI_PARAMS as they arrive, bounded while they are read, then turned into
// meta-variables with the limits checked.

import Sluice
import SluiceCGIWire
import SluiceGateway

/// Gathers the params stream of one request and makes ``Sluice/MetaVariables`` of it.
///
/// The limits are enforced while reading (Spec SEC-3, FCGI-6): past the most bytes params
/// within the limits can take, the stream is counted and dropped instead of kept, so a flood
/// of params costs time but no memory; the request is then answered 431.
struct ParamsCollector {
    /// The most bytes of names and values together, and the most pairs.
    let maximumLength: Int
    let maximumCount: Int
    /// The stream as received, while it is within ``keptLimit``.
    private var stream: [UInt8] = []
    /// How many bytes of the stream arrived.
    private(set) var receivedLength = 0

    init(maximumLength: Int, maximumCount: Int) {
        self.maximumLength = maximumLength
        self.maximumCount = maximumCount
    }

    /// The most stream bytes params within both limits take: their names and values, and at
    /// most eight bytes of lengths per pair.
    var keptLimit: Int { maximumLength + 8 * maximumCount }

    /// Starts on the next request's params.
    mutating func reset() {
        stream.removeAll(keepingCapacity: stream.capacity <= 64 * 1024)
        receivedLength = 0
    }

    /// Adds a piece of the stream.
    mutating func append(_ piece: UnsafeRawBufferPointer) {
        receivedLength += piece.count
        if receivedLength <= keptLimit {
            stream.append(contentsOf: piece)
        } else if stream.capacity > 0 {
            stream = []
        }
    }

    /// What the complete params make.
    enum Outcome {
        /// The meta-variables, in order, repeats kept.
        case variables(MetaVariables)
        /// Over a limit: answered by the adapter (431).
        case rejected(Rejection)
        /// A length points past the stream: the connection breaks the protocol (Spec FCGI-6).
        case malformed
    }

    /// The meta-variables of the complete stream, `FCGI_ROLE=RESPONDER` first as libfcgi
    /// passes it; or why there are none.
    ///
    /// Each pair becomes a `NAME=value` entry in `entries` (storage kept across requests by
    /// the caller), from which ``Sluice/MetaVariables`` copies them in one piece. A name
    /// holding `=` could not be told from its value in that form and is dropped (no front
    /// server sends one). `CONTENT_LENGTH=-1`, Caddy's way of saying the length is unknown (a
    /// chunked upload), becomes an empty value, which means the same to the core (Spec CGI-9).
    func variables(entries: inout [UInt8], ends: inout [Int]) -> Outcome {
        guard receivedLength <= keptLimit else {
            return .rejected(Rejection(paramsLength: receivedLength, limit: maximumLength))
        }
        entries.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        entries.append(contentsOf: "FCGI_ROLE=RESPONDER".utf8)
        ends.append(entries.count)
        var count = 0
        var length = 0
        let wellFormed = stream.withUnsafeBytes { stream in
            NameValuePairs.forEach(in: stream) { name, value in
                count += 1
                length += name.count + value.count
                guard !name.contains(UInt8(ascii: "=")) else { return }
                entries.append(contentsOf: name)
                entries.append(UInt8(ascii: "="))
                if !(value.count == 2 && value[0] == UInt8(ascii: "-") && value[1] == UInt8(ascii: "1") && name.elementsEqual("CONTENT_LENGTH".utf8)) {
                    entries.append(contentsOf: value)
                }
                ends.append(entries.count)
            }
        }
        guard wellFormed else { return .malformed }
        guard length <= maximumLength else { return .rejected(Rejection(paramsLength: length, limit: maximumLength)) }
        guard count <= maximumCount else { return .rejected(Rejection(paramsCount: count, limit: maximumCount)) }
        return entries.withUnsafeBytes { entries in
            ends.withUnsafeBufferPointer { ends in
                .variables(
                    MetaVariables(count: ends.count) { index in
                        UnsafeRawBufferPointer(rebasing: entries[(index == 0 ? 0 : ends[index - 1])..<ends[index]])
                    })
            }
        }
    }
}
