// Fuzz harness: the field grammar the gateway holds every head to (Spec RESP-2, RESP-3,
// RESP-4, RESP-5, RESP-12, SEC-2) and the header lookups applications use (REQ-6).
// Module under test: SluiceGateway

@testable import Sluice
import SluiceGateway

/// The input is a status code (two bytes), a reason phrase, a body length (one byte), then
/// `name:value` fields separated by NUL. A head the gateway accepts may be put on any wire: no
/// field name that is not a token, no CR, LF or NUL anywhere, no hop-by-hop field, one
/// `Content-Length` at most — the body's length when it is known.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFields(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    var input = FuzzInput(data, count)
    let status = Response.Status(code: input.number(ofBytes: 2) % 700, reasonPhrase: input.text(until: 0))
    let bodyLength = Int(input.byte())
    let headers = Headers(input.fields())
    // Each lookup scans every field: a few names are enough, and keep a run linear in its input.
    for field in headers.prefix(8) {
        _ = headers.combinedValue(for: field.name)
        require(headers.contains(field.name) && !headers.values(for: field.name).isEmpty, "lookup of \(String(reflecting: field.name))")
    }

    var response = Response(status: status, headers: headers, body: ResponseBody(bytes: [UInt8](repeating: 0x61, count: bodyLength)))
    if case let .success(sent) = ResponseHead.fields(taking: &response) {
        require((200...599).contains(status.code) && !FieldGrammar.containsLineBreakOrNul(status.reasonPhrase), "status \(status)")
        for field in sent {
            require(FieldGrammar.isToken(field.name) && !FieldGrammar.containsLineBreakOrNul(field.value), "field \(String(reflecting: field))")
            // A 426 keeps Upgrade and Connection, which RFC 9110 section 15.5.22 requires (RESP-3).
            let upgradeField = field.name.equalsIgnoringASCIICase("Upgrade") || field.name.equalsIgnoringASCIICase("Connection")
            let allowedHopByHop = status.code == 426 && upgradeField
            require(
                (!FieldGrammar.isHopByHop(field.name) || allowedHopByHop) && !field.name.equalsIgnoringASCIICase("Status"),
                "field \(field.name) sent with status \(status.code)")
        }
        let lengths = sent.values(for: "Content-Length")
        require(lengths.count <= 1 && lengths.allSatisfy(FieldGrammar.isDigits), "Content-Length \(lengths)")
        if status.allowsBody, headers.values(for: "Content-Length").isEmpty, !Response.isLocalRedirect(status: status, headers: headers) {
            require(lengths == [String(bodyLength)], "Content-Length \(lengths) for a body of \(bodyLength)")
        }
    }

    if ResponseHead.problem(withInformational: status, headers: headers) == nil {
        require((102...199).contains(status.code), "informational status \(status.code) accepted")
        require(!headers.contains("Content-Length"), "informational Content-Length accepted")
        for field in headers {
            require(FieldGrammar.isToken(field.name) && !FieldGrammar.containsLineBreakOrNul(field.value), "informational field \(String(reflecting: field))")
        }
    }
    return 0
}
