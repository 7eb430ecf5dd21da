// HTTP dates: written as IMF-fixdate, read in all three forms.

import SluiceToolkit
import Testing

@Suite("HTTP dates")
struct HTTPDateTests {
    @Test("IMF-fixdate for known times, including before the epoch and leap days")
    func formatting() {
        #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.format(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(951_782_400) == "Tue, 29 Feb 2000 00:00:00 GMT")
        #expect(HTTPDate.format(-1) == "Wed, 31 Dec 1969 23:59:59 GMT")
        #expect(HTTPDate.format(4_102_444_800) == "Fri, 01 Jan 2100 00:00:00 GMT")
    }

    @Test("the three forms RFC 9110 section 5.6.7 names all read")
    func parsing() {
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.parse("Sun Nov  6 08:49:37 1994") == 784_111_777)
        for seconds in stride(from: -86_400 * 400, to: 86_400 * 365 * 200, by: 86_400 * 37 + 3_601) {
            #expect(HTTPDate.parse(HTTPDate.format(seconds)) == seconds)
        }
    }

    @Test("a year before 1000 is written with four digits, so that it reads back (found by Fuzz/HTTPDate)")
    func earlyYear() throws {
        let seconds = try #require(HTTPDate.parse("Sun Nov  6 08:49:37 0994"))
        #expect(HTTPDate.format(seconds).contains(" 0994 "))
        #expect(HTTPDate.parse(HTTPDate.format(seconds)) == seconds)
    }

    @Test(
        "anything else is nil",
        arguments: [
            "", "yesterday", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Nov 1994 8:49:37 GMT", "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 94 08:49:37 GMT", "Sun, -6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 99999999999999999999 08:49:37 GMT",
        ])
    func invalid(text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }
}
