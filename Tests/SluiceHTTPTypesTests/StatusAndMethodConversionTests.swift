// Statuses and methods: codes, reason phrases and extension methods, both ways.

import HTTPTypes
import Sluice
import SluiceHTTPTypes
import Testing

@Suite("Statuses and methods")
struct StatusAndMethodConversionTests {
    @Test(
        "[RESP-2] a status round-trips with its reason phrase, custom ones included",
        arguments: [
            Response.Status.ok,
            Response.Status(code: 200, reasonPhrase: "Alles Gut"),
            Response.Status(code: 404, reasonPhrase: "Nowhere To Be Found"),
            Response.Status(code: 299, reasonPhrase: "Réussi\tpartiellement"),
            Response.Status(code: 599),
            Response.Status.earlyHints,
            Response.Status(code: 999, reasonPhrase: "Edge"),
        ])
    func statusRoundTrip(status: Response.Status) throws {
        let converted = try HTTPResponse.Status(status)
        #expect(converted.code == status.code)
        #expect(converted.reasonPhrase == status.reasonPhrase)
        let back = Response.Status(converted)
        #expect(back == status)
    }

    @Test("an HTTPTypes status without a phrase gets the standard one")
    func emptyPhrase() {
        #expect(Response.Status(HTTPResponse.Status(code: 404)).reasonPhrase == "Not Found")
        #expect(Response.Status(HTTPResponse.Status.notFound) == .notFound)
    }

    @Test("a code outside 100...999 or a phrase with a control character fails")
    func invalidStatus() {
        #expect(throws: HTTPTypesConversionError.invalidStatusCode(42)) { try HTTPResponse.Status(Response.Status(code: 42)) }
        #expect(throws: HTTPTypesConversionError.invalidStatusCode(1000)) { try HTTPResponse.Status(Response.Status(code: 1000)) }
        #expect(throws: HTTPTypesConversionError.invalidReasonPhrase("OK\r\nX: y")) {
            try HTTPResponse.Status(Response.Status(code: 200, reasonPhrase: "OK\r\nX: y"))
        }
    }

    @Test(
        "[REQ-1] a method round-trips, extension methods and case included",
        arguments: [
            "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT",
            "PROPFIND", "MKCALENDAR", "QUERY", "get", "X-Custom_Method",
        ])
    func methodRoundTrip(token: String) throws {
        let converted = try HTTPRequest.Method(Request.Method(rawValue: token))
        #expect(converted.rawValue == token)
        #expect(Request.Method(converted).rawValue == token)
    }

    @Test("[REQ-1] a method that is not a token fails")
    func invalidMethod() {
        #expect(throws: HTTPTypesConversionError.invalidMethod("GE T")) { try HTTPRequest.Method(Request.Method(rawValue: "GE T")) }
        #expect(throws: HTTPTypesConversionError.invalidMethod("")) { try HTTPRequest.Method(Request.Method(rawValue: "")) }
    }
}
