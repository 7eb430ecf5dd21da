// Fuzz harness: the CGI response head a CGI program or FastCGI responder writes (Spec CGI-10,
// CGI-11, RESP-13, SEC-2).
// Module under test: SluiceCGIWire

@testable import Sluice
import SluiceGateway
@testable import SluiceCGIWire

/// The input is a status code (two bytes), a reason phrase, then `name:value` fields separated
/// by NUL. For every head the gateway accepts, the header block must read back as exactly that
/// head: one line per field, in order, a `Status:` line unless it is a local redirect, nothing
/// a field could smuggle in, and the length ``CGIResponseHead/byteCount(status:headers:)`` says.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCGIResponseHead(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    var input = FuzzInput(data, count)
    let status = Response.Status(code: input.number(ofBytes: 2) % 700, reasonPhrase: input.text(until: 0))
    let headers = Headers(input.fields())
    var response = Response(status: status, headers: headers)
    guard case let .success(sent) = ResponseHead.fields(taking: &response) else { return 0 }

    let block = CGIResponseHead.bytes(status: status, headers: sent)
    require(block.count == CGIResponseHead.byteCount(status: status, headers: sent), "byteCount \(block.count)")
    var pieces: [UInt8] = []
    CGIResponseHead.write(status: status, headers: sent) { pieces.append(contentsOf: $0) }
    require(pieces == block, "the piecewise head differs")

    // Read the block back the way a front server does: CRLF-ended lines up to an empty one.
    var lines = split(block)
    require(lines.last == [] && lines.dropLast().allSatisfy { !$0.isEmpty }, "the block does not end at its first empty line")
    lines.removeLast()
    let isLocalRedirect = Response.isLocalRedirect(status: status, headers: sent)
    if !isLocalRedirect {
        let expected = Array("Status: \(status.code) \(status.reasonPhrase)".utf8)
        require(lines.first == expected, "status line \(String(decoding: lines.first ?? [], as: UTF8.self))")
        lines.removeFirst()
    }
    require(lines.count == sent.count, "\(lines.count) field lines for \(sent.count) fields")
    for (line, field) in zip(lines, sent) {
        require(line == Array("\(field.name): \(field.value)".utf8), "field line \(String(decoding: line, as: UTF8.self))")
    }
    return 0
}

/// The block's lines without their CRLF; a CR or LF anywhere else ends the run.
private func split(_ block: [UInt8]) -> [[UInt8]] {
    var lines: [[UInt8]] = []
    var line: [UInt8] = []
    var index = 0
    while index < block.count {
        let byte = block[index]
        if byte == 0x0D, index + 1 < block.count, block[index + 1] == 0x0A {
            lines.append(line)
            line = []
            index += 2
            continue
        }
        require(byte != 0x0D && byte != 0x0A && byte != 0, "a bare CR, LF or NUL in the header block")
        line.append(byte)
        index += 1
    }
    require(line.isEmpty, "bytes after the last CRLF")
    return lines
}
