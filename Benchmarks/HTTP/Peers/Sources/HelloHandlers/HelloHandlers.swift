// The raw NIO hello: "Hello from PATH" from a handler on the event loop, the fastest a SwiftNIO
// server answers, for comparison.

public import NIOCore
import NIOHPACK
public import NIOHTTP1
public import NIOHTTP2

/// Answers HTTP/1 requests with their path, keeping the connection as the client asks.
public final class HTTP1Hello: ChannelInboundHandler {
    /// The request's head, body and end, as NIO's HTTP/1 decoder delivers them.
    public typealias InboundIn = HTTPServerRequestPart
    /// The response's head, body and end.
    public typealias OutboundOut = HTTPServerResponsePart

    private var keepAlive = true
    private var path = ""

    /// Creates a handler for one connection or stream.
    public init() {}

    /// Answers once the request has ended.
    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(head):
            keepAlive = head.isKeepAlive
            path = String(head.uri.prefix { $0 != "?" })
        case .body:
            break
        case .end:
            let body = context.channel.allocator.buffer(string: "Hello from \(path)\n")
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
            headers.add(name: "Content-Length", value: String(body.readableBytes))
            if !keepAlive { headers.add(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if !keepAlive {
                done.whenComplete { [context] _ in context.close(promise: nil) }
            }
        }
    }
}

/// Answers a stream's request with its path, as one HEADERS and one DATA frame.
public final class StreamHello: ChannelInboundHandler {
    /// The stream's frames.
    public typealias InboundIn = HTTP2Frame.FramePayload
    /// The response's frames.
    public typealias OutboundOut = HTTP2Frame.FramePayload

    private var path = ""

    /// Creates a handler for one connection or stream.
    public init() {}

    /// Answers once the request has ended.
    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .headers(headers):
            path = String((headers.headers.first(name: ":path") ?? "/").prefix { $0 != "?" })
            if headers.endStream { respond(context) }
        case let .data(data) where data.endStream:
            respond(context)
        default:
            break
        }
    }

    private func respond(_ context: ChannelHandlerContext) {
        let body = context.channel.allocator.buffer(string: "Hello from \(path)\n")
        let headers: HPACKHeaders = [
            ":status": "200", "content-type": "text/plain; charset=utf-8", "content-length": String(body.readableBytes),
        ]
        context.write(wrapOutboundOut(.headers(.init(headers: headers))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.data(.init(data: .byteBuffer(body), endStream: true))), promise: nil)
    }
}
