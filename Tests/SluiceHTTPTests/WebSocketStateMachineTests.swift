// The WebSocket's state machine driven directly with frames, no channel: every protocol error a
// client can commit, fragments with control frames between them, the closing handshake both
// ways, and how the connection ended (Spec WS-6 to WS-10).

import NIOCore
import NIOWebSocket
import Sluice
import Testing

@testable import SluiceHTTP

/// A machine whose readers are names.
typealias WebSocketMachine = WebSocketStateMachine<String>

extension WebSocketStateMachine.Action where Reader == String {
    /// The action in a few words, for comparing.
    var summary: String {
        switch self {
        case .none: "none"
        case let .resume(reader, read): "\(reader) \(read.summary)"
        case let .pong(payload, resuming): "pong \(Array(payload.readableBytesView))" + (resuming.map { ", \($0.0) \($0.1.summary)" } ?? "")
        case let .sendClose(close, resuming): "send close \(close.code)" + (resuming.map { ", \($0.0) \($0.1.summary)" } ?? "")
        case let .acknowledgeClose(close, resuming):
            "answer close \(close.map { "\($0.code)" } ?? "without code")" + (resuming.map { ", \($0.0) \($0.1.summary)" } ?? "")
        case let .closeConnection(resuming): "close connection" + (resuming.map { ", \($0.0) \($0.1.summary)" } ?? "")
        }
    }
}

extension WebSocketStateMachine.Read {
    var summary: String {
        switch self {
        case let .message(message): "gets \(message)"
        case .end: "gets the end"
        case let .failure(error): "fails: \(error)"
        }
    }
}

/// A client's frame, masked unless `masked` is false.
func frame(_ opcode: WebSocketOpcode, _ payload: [UInt8] = [], fin: Bool = true, masked: Bool = true, rsv1: Bool = false) -> WebSocketFrame {
    var data = ByteBuffer(bytes: payload)
    let key: WebSocketMaskingKey? = masked ? [1, 2, 3, 4] : nil
    if let key { data.webSocketMask(key) }
    return WebSocketFrame(fin: fin, rsv1: rsv1, opcode: opcode, maskKey: key, data: data)
}

func text(_ text: String, fin: Bool = true) -> WebSocketFrame { frame(.text, Array(text.utf8), fin: fin) }
func closeFrame(_ code: UInt16, _ reason: [UInt8] = []) -> WebSocketFrame { frame(.connectionClose, [UInt8(code >> 8), UInt8(code & 0xFF)] + reason) }

@Suite("The WebSocket's state machine")
struct WebSocketStateMachineTests {
    static func machine(maxMessageBytes: Int = 1 << 20) -> WebSocketMachine {
        WebSocketMachine(maxMessageBytes: maxMessageBytes)
    }

    @Test("[WS-6] a message goes to the waiting reader, or waits for the next read")
    func delivery() {
        var machine = Self.machine()
        #expect(machine.messageRequested(by: "r1").summary == "none")
        #expect(machine.received(text("a")).summary == "r1 gets \(WebSocketMessage.text("a"))")
        #expect(machine.received(text("b")).summary == "none")
        #expect(machine.messageRequested(by: "r2").summary == "r2 gets \(WebSocketMessage.text("b"))")
    }

    @Test("[WS-6] fragments are joined; a ping between them is answered at once and delivered first")
    func fragmentsWithControlFramesBetween() {
        var machine = Self.machine()
        #expect(machine.received(text("hel", fin: false)).summary == "none")
        #expect(machine.received(frame(.ping, [7])).summary == "pong [7]")
        #expect(machine.received(frame(.continuation, Array("lo".utf8), fin: false)).summary == "none")
        #expect(machine.received(frame(.pong, [8])).summary == "none")
        #expect(machine.received(frame(.continuation, Array(" there".utf8))).summary == "none")
        #expect(machine.messageRequested(by: "r").summary == "r gets \(WebSocketMessage.ping([7]))")
        #expect(machine.messageRequested(by: "r").summary == "r gets \(WebSocketMessage.pong([8]))")
        #expect(machine.messageRequested(by: "r").summary == "r gets \(WebSocketMessage.text("hello there"))")
    }

    @Test("[WS-6] [WS-8] UTF-8 split across fragments is whole; a bad byte fails at its fragment")
    func utf8AcrossFragments() {
        var machine = Self.machine()
        let euro: [UInt8] = [0xE2, 0x82, 0xAC]
        #expect(machine.received(frame(.text, [euro[0]], fin: false)).summary == "none")
        #expect(machine.received(frame(.continuation, Array(euro[1...]))).summary == "none")
        #expect(machine.messageRequested(by: "r").summary == "r gets \(WebSocketMessage.text("€"))")
        var failing = Self.machine()
        #expect(failing.received(frame(.text, [0x61, 0xC0], fin: false)).summary == "send close 1007")
        var truncated = Self.machine()
        #expect(truncated.received(frame(.text, [0xE2, 0x82])).summary == "send close 1007")
    }

    /// A frame a client must not send, and the code it is answered with.
    struct Violation: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let frames: [WebSocketFrame]
        let code: UInt16
    }

    static let violations: [Violation] = [
        Violation(testDescription: "an unmasked frame", frames: [frame(.text, [0x61], masked: false)], code: 1002),
        Violation(testDescription: "a reserved bit", frames: [frame(.text, [0x61], rsv1: true)], code: 1002),
        Violation(testDescription: "opcode 3", frames: [frame(WebSocketOpcode(encodedWebSocketOpcode: 3)!, [])], code: 1002),
        Violation(testDescription: "opcode 0xB", frames: [frame(WebSocketOpcode(encodedWebSocketOpcode: 0xB)!, [])], code: 1002),
        Violation(testDescription: "a continuation with nothing to continue", frames: [frame(.continuation, [0x61])], code: 1002),
        Violation(testDescription: "a new message inside a fragmented one", frames: [text("a", fin: false), text("b")], code: 1002),
        Violation(testDescription: "a close of one byte", frames: [frame(.connectionClose, [0x03])], code: 1002),
        Violation(testDescription: "close code 1005", frames: [closeFrame(1005)], code: 1002),
        Violation(testDescription: "close code 999", frames: [closeFrame(999)], code: 1002),
        Violation(testDescription: "close code 2000", frames: [closeFrame(2000)], code: 1002),
        Violation(testDescription: "a close reason that is not UTF-8", frames: [closeFrame(1000, [0xFF])], code: 1007),
        Violation(testDescription: "invalid UTF-8 text", frames: [frame(.text, [0xED, 0xA0, 0x80])], code: 1007),
        Violation(testDescription: "a message over the limit in one frame", frames: [frame(.binary, Array(repeating: 0, count: 11))], code: 1009),
        Violation(
            testDescription: "a message over the limit in fragments",
            frames: [frame(.binary, Array(repeating: 0, count: 6), fin: false), frame(.continuation, Array(repeating: 0, count: 5))], code: 1009
        ),
    ]

    @Test("[WS-8] a client that breaks the protocol gets a close with the code that says why; its reader fails after", arguments: violations)
    func violation(_ violation: Violation) {
        var machine = Self.machine(maxMessageBytes: 10)
        #expect(machine.messageRequested(by: "r").summary == "none")
        let last = violation.frames.map { machine.received($0).summary }.last ?? ""
        #expect(last.hasPrefix("send close \(violation.code), r fails: the client broke the WebSocket protocol; closed with \(violation.code)"))
        let sent = machine.closingViolation
        #expect(sent?.code == violation.code)
        // Nothing but the client's close counts now; it closes the connection.
        #expect(machine.received(text("more")).summary == "none")
        #expect(machine.received(closeFrame(1000)).summary == "close connection")
        #expect(sent.map { machine.connectionClosed().ending == .violation($0) } == true)
    }

    @Test("[WS-8] the frame decoder's errors: too large 1009, a fragmented or long control frame 1002")
    func decoderErrors() {
        var tooLarge = Self.machine()
        #expect(tooLarge.undecodable(.invalidFrameLength).summary == "send close 1009")
        var fragmented = Self.machine()
        #expect(fragmented.undecodable(.fragmentedControlFrame).summary == "send close 1002")
        var long = Self.machine()
        #expect(long.undecodable(.multiByteControlFrameLength).summary == "send close 1002")
    }

    @Test("[WS-8] messages received before a violation are read first; then the read fails")
    func violationAfterMessages() {
        var machine = Self.machine()
        _ = machine.received(text("first"))
        #expect(machine.received(frame(.text, [0x61], masked: false)).summary == "send close 1002")
        #expect(machine.messageRequested(by: "r").summary == "r gets \(WebSocketMessage.text("first"))")
        #expect(machine.messageRequested(by: "r").summary.hasPrefix("r fails: the client broke the WebSocket protocol; closed with 1002"))
    }

    @Test("[WS-9] the client's close is answered with its code and ends the messages; a close without code with none")
    func clientCloses() {
        var machine = Self.machine()
        #expect(machine.messageRequested(by: "r").summary == "none")
        #expect(machine.received(closeFrame(4001, Array("bye".utf8))).summary == "answer close 4001, r gets the end")
        #expect(machine.closeReceived == WebSocketClose(code: 4001, reason: "bye"))
        #expect(!machine.allowsSending)
        #expect(machine.connectionClosed().ending == .closedCleanly)
        for code: UInt16 in [1000, 1001, 1003, 1007, 1010, 1011, 1012, 1013, 1014, 3000, 4999] {
            var valid = Self.machine()
            #expect(valid.received(closeFrame(code)).summary == "answer close \(code)")
        }
        var empty = Self.machine()
        #expect(empty.received(frame(.connectionClose)).summary == "answer close without code")
        #expect(empty.closeReceived == .noStatusReceived)
    }

    @Test("[WS-9] the session's close goes out once; the client's answer closes the connection, or the timeout does")
    func sessionCloses() {
        var machine = Self.machine()
        #expect(machine.closeRequested(.normalClosure).summary == "send close 1000")
        #expect(machine.closeRequested(.goingAway).summary == "none")
        #expect(machine.received(text("late")).summary == "none")
        #expect(machine.messageRequested(by: "r").summary == "r gets the end")
        #expect(machine.received(closeFrame(1000)).summary == "close connection")
        var unanswered = Self.machine()
        _ = unanswered.closeRequested(.normalClosure)
        #expect(unanswered.closeTimedOut().summary == "close connection")
        #expect(unanswered.connectionClosed().ending == .closedCleanly)
    }

    @Test("[WS-15] a frame not whole in time fails the WebSocket with 1008; once closing, the close timeout rules")
    func frameTimeout() {
        var machine = Self.machine()
        #expect(machine.messageRequested(by: "r").summary == "none")
        #expect(machine.frameTimedOut().summary.hasPrefix("send close 1008, r fails:"))
        #expect(machine.frameTimedOut().summary == "none")
        #expect(machine.received(closeFrame(1008)).summary == "close connection")
        #expect(machine.connectionClosed().ending == .violation(WebSocketClose(code: 1008, reason: "frame not received in time")))
        var closing = Self.machine()
        _ = closing.closeRequested(.normalClosure)
        #expect(closing.frameTimedOut().summary == "none")
    }

    @Test("[WS-10] a connection that drops while open ends as dropped: the reader fails with ClientDisconnected")
    func dropped() {
        var machine = Self.machine()
        _ = machine.received(text("unread"))
        let (ending, reader) = machine.connectionClosed()
        #expect(ending == .dropped)
        #expect(reader == nil)
        #expect(machine.messageRequested(by: "r").summary == "r fails: \(ClientDisconnected())")
    }

    @Test("[WS-7] reading stops while 64 KiB of messages wait unread, empty pings counted too")
    func unreadLimit() {
        var machine = Self.machine()
        var sent = 0
        while machine.allowsReading {
            _ = machine.received(frame(.ping))
            sent += 1
        }
        #expect(sent == WebSocketMachine.unreadLimit / WebSocketMachine.cost(of: .ping([])))
        _ = machine.messageRequested(by: "r")
        #expect(machine.allowsReading)
    }

    @Test("[WS-6] a second reader while one waits fails")
    func secondReader() {
        var machine = Self.machine()
        _ = machine.messageRequested(by: "r1")
        #expect(machine.messageRequested(by: "r2").summary == "r2 fails: \(WebSocketError.alreadyConsumed)")
    }
}

extension WebSocketStateMachine {
    /// The close the server failed the connection with, while closing.
    var closingViolation: WebSocketClose? {
        if case let .closing(violation) = state { violation } else { nil }
    }
}

@Suite("WebSocket helpers")
struct WebSocketHelperTests {
    @Test("[WS-5] Sec-WebSocket-Accept is RFC 6455's example for its sample key; SHA-1 and base64 match their test vectors")
    func acceptKey() {
        #expect(WebSocketAcceptKey.value(for: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        let abc = WebSocketAcceptKey.sha1(Array("abc".utf8)).map { String($0, radix: 16).leftPadded }.joined()
        #expect(abc == "a9993e364706816aba3e25717850c26c9cd0d89d")
        let long = WebSocketAcceptKey.sha1(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
        #expect(long.map { String($0, radix: 16).leftPadded }.joined() == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        #expect(WebSocketAcceptKey.base64([]) == "")
        #expect(WebSocketAcceptKey.base64(Array("f".utf8)) == "Zg==")
        #expect(WebSocketAcceptKey.base64(Array("fo".utf8)) == "Zm8=")
        #expect(WebSocketAcceptKey.base64(Array("foobar".utf8)) == "Zm9vYmFy")
    }

    @Test("[WS-8] the UTF-8 check refuses overlong forms, surrogates and code points past U+10FFFF, piece by piece")
    func utf8() {
        func valid(_ pieces: [[UInt8]]) -> Bool {
            var validator = UTF8Validator()
            return pieces.allSatisfy { validator.consume($0) } && validator.isComplete
        }
        #expect(valid([Array("κόσμε".utf8)]))
        #expect(valid([[0xF0, 0x9F], [0x98], [0x80]]))
        #expect(valid([[0xF4, 0x8F, 0xBF, 0xBF]]))
        #expect(!valid([[0xC0, 0x80]]))
        #expect(!valid([[0xE0, 0x80, 0x80]]))
        #expect(!valid([[0xED, 0xA0, 0x80]]))
        #expect(!valid([[0xF4, 0x90, 0x80, 0x80]]))
        #expect(!valid([[0xF8]]))
        #expect(!valid([[0x80]]))
        #expect(!valid([[0xE2, 0x82]]))
    }
}

extension String {
    /// Two hex digits.
    var leftPadded: String { count == 1 ? "0" + self : self }
}
