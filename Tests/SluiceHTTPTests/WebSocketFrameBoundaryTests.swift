// Frame boundaries found from headers alone, with every split of the bytes a client could make,
// and the frame deadline they drive on an EmbeddedChannel (Spec WS-15).

import NIOCore
import Sluice
import Testing

@testable import SluiceHTTP

@Suite("WebSocket: frame boundaries and the frame deadline")
struct WebSocketFrameBoundaryTests {
    /// Frames of every header form: 7-bit, 16-bit and 64-bit lengths, masked and not, empty.
    static let frames: [[UInt8]] = [
        WebSocketWire.text("hi"),
        WebSocketWire.ping(),
        WebSocketWire.frame(0x2, [], mask: nil),
        WebSocketWire.binary(Array(repeating: 7, count: 125)),
        WebSocketWire.binary(Array(repeating: 7, count: 126)),
        WebSocketWire.frame(0x2, Array(repeating: 7, count: 300), mask: nil),
        WebSocketWire.binary(Array(repeating: 7, count: 65536)),
    ]

    @Test("[WS-15] inside a frame after every byte of it but its last, at a boundary after it, for every header form")
    func everyPrefix() {
        for bytes in Self.frames {
            for cut in 0...bytes.count {
                var boundary = WebSocketFrameBoundary()
                let ended = boundary.consume(bytes[..<cut])
                #expect(boundary.isInsideFrame == (cut > 0 && cut < bytes.count), "\(bytes.count)-byte frame cut at \(cut)")
                #expect(ended == (cut == bytes.count))
            }
        }
    }

    @Test("[WS-15] frames back to back, in reads of any size, end where they end")
    func backToBack() {
        let stream = Self.frames.flatMap { $0 }
        for readSize in [1, 2, 3, 7, 13, 126, 4096] {
            var boundary = WebSocketFrameBoundary()
            var offset = 0
            var ends: [Int] = []
            while offset < stream.count {
                let end = min(offset + readSize, stream.count)
                for index in offset..<end where boundary.consume(stream[index...index]) {
                    ends.append(index + 1)
                }
                offset = end
            }
            #expect(!boundary.isInsideFrame)
            #expect(ends == Self.frames.indices.map { Self.frames[...$0].reduce(0) { $0 + $1.count } }, "reads of \(readSize)")
        }
    }

    @Test("[WS-15] a 64-bit length no server accepts is followed as given; the decoder refuses it")
    func hugeLength() {
        var boundary = WebSocketFrameBoundary()
        let ended = boundary.consume([0x82, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4, 0])
        #expect(!ended)
        #expect(boundary.isInsideFrame)
    }

    /// Connects with the frame deadline at 10 s and returns the open WebSocket.
    static func open(_ journal: Journal) throws -> EmbeddedConnection {
        let connection = try EmbeddedConnection(
            WebSocketUpgradeTests.app(journal: journal), timeouts: .init(webSocketClose: .seconds(5), webSocketFrame: .seconds(10)))
        try connection.send(WebSocketWire.handshake("/echo"))
        _ = connection.outputBytes()
        return connection
    }

    @Test("[WS-15] a frame dribbled a byte at a time is failed with 1008 when it is not whole within the frame timeout")
    func slowFrame() throws {
        let journal = Journal()
        let connection = try Self.open(journal)
        let frame = WebSocketWire.text("slow")
        for byte in frame.dropLast() {
            try connection.send(bytes: [byte])
            connection.advanceTime(by: .seconds(1))
        }
        #expect(connection.outputBytes().isEmpty)
        connection.advanceTime(by: .seconds(Int64(10 - (frame.count - 1))))
        #expect(WebSocketWire.serverFrames(connection.outputBytes()).map(\.closeCode) == [1008])
        #expect(journal.entries == ["the client broke the WebSocket protocol; closed with 1008 \"frame not received in time\", cancelled: false"])
        // The client's close then ends it; nothing else it sends is read.
        try connection.send(bytes: [frame.last!] + WebSocketWire.close(1008))
        #expect(connection.isClosed)
    }

    @Test("[WS-15] the quiet between frames is not limited, and each frame has its own deadline")
    func quietBetweenFrames() throws {
        let journal = Journal()
        let connection = try Self.open(journal)
        let first = WebSocketWire.text("one")
        let second = WebSocketWire.text("two")
        connection.advanceTime(by: .seconds(60))
        // The first frame's last byte and the second's first in one read: the second's deadline
        // starts there, not with the first's.
        try connection.send(bytes: Array(first.dropLast()))
        connection.advanceTime(by: .seconds(9))
        try connection.send(bytes: [first.last!, second[0]])
        connection.advanceTime(by: .seconds(9))
        try connection.send(bytes: Array(second.dropFirst()))
        connection.advanceTime(by: .seconds(60))
        #expect(WebSocketWire.serverFrames(connection.outputBytes()).map(\.description) == ["text \"one\"", "text \"two\""])
        #expect(!connection.isClosed)
        #expect(journal.entries.isEmpty)
    }
}
