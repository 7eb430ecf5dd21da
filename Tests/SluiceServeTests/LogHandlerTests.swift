// The two log formats: a line for people, a JSON object for machines.

import Logging
import SluiceMiddleware
import Testing

@testable import SluiceServe

@Suite("serve(_:) logging")
struct LogHandlerTests {
    private let event = LogEvent(level: .warning, message: "disk \"full\"", metadata: nil, source: "", file: "", function: "", line: 0)

    @Test("human lines are time, level, message, then sorted key=value pairs")
    func text() {
        let line = TextLogLine.line(time: "T", event: event, metadata: ["port": "8080", "a": "two words"])
        #expect(line == #"T warning disk "full" a="two words" port=8080"#)
    }

    @Test("JSON lines are one object with escaped strings")
    func json() {
        let line = JSONLogLine.line(time: "T", label: "sluice", event: event, metadata: ["list": ["a", "b"], "note": "tab\there"])
        #expect(line == #"{"time":"T","level":"warning","message":"disk \"full\"","label":"sluice","list":["a","b"],"note":"tab\there"}"#)
        #expect(JSONText.string("\u{1}") == #""\u0001""#)
    }

    @Test("time stamps are UTC with milliseconds")
    func timestamp() {
        let stamp = LogLine.timestamp()
        #expect(stamp.count == 24)
        #expect(stamp.hasSuffix("Z"))
    }
}
