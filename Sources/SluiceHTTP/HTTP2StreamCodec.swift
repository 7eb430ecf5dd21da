// An HTTP/2 stream's frames as the request parts and response parts the connection handler
// speaks, so that a stream is one exchange like an HTTP/1 request.

import NIOCore
import NIOHPACK
import NIOHTTP1
import NIOHTTP2
import SluiceGateway

/// Turns the frames of one HTTP/2 stream into an ``HTTPConnectionHandler``'s request parts and
/// its response parts into frames (Spec H2-1 to H2-5). NIOHTTP2 has already checked the header
/// block (pseudo-headers, lowercase names, no connection-specific fields, no CR, LF or NUL, a
/// `content-length` that the DATA frames match) and answered a violation with RST_STREAM; this
/// codec adds the Spec's own rules:
///
/// - `:method` and `:path` become the method and the request-target, which must be in origin
///   form (or `*` for `OPTIONS`), else 400; `:scheme` is ignored, as the scheme is the
///   connection's (REQ-9).
/// - `:authority` becomes the first field, `host`, unless the client sent `host` itself; when
///   both are sent they must agree, else 400 (RFC 9113 §8.3.1).
/// - `cookie` fields, which HTTP/2 lets a client split, are joined with `; ` where the first
///   was (RFC 9113 §8.2.3).
/// - A body follows the head unless the HEADERS frame ended the stream. One without
///   `content-length` is noted as `transfer-encoding: chunked`, HTTP/1.1's way of saying
///   "until the end", which the request mapping leaves out of the request's fields.
/// - A second HEADERS frame, the request's trailers, ends the body; its fields are dropped
///   (BODY-8).
///
/// Outbound, a head becomes a HEADERS frame with `:status` and the fields in lowercase, without
/// connection-specific ones; body parts become DATA frames, trailers a HEADERS frame. The frame
/// before the end is held back until the next part comes, so that the end rides on it as
/// END_STREAM instead of costing an empty DATA frame.
///
/// Closing the stream's channel resets the stream, which would make a client drop a response
/// still on its way. So a close after a complete response is not passed on while its frames go
/// out: when the request had ended too, the stream closes by itself once they are sent (or after
/// the write timeout, for a client whose window never lets them out); when the request body is
/// still arriving, `RST_STREAM NO_ERROR` follows the response once its last frame has been
/// written, asking the client to stop sending without discarding it (RFC 9113 §8.1). Sent any
/// sooner, the reset would make NIOHTTP2 drop the frames flow control still holds back.
final class HTTP2StreamCodec: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTP2Frame.FramePayload

    private let writeTimeout: Duration
    private var sawHead = false
    /// The client's END_STREAM arrived.
    private var requestEnded = false
    /// The response's END_STREAM was written.
    private var responseEnded: Bool { responseSent != nil }
    /// Completes when the frame with the response's END_STREAM has gone out.
    private var responseSent: EventLoopFuture<Void>?
    /// A frame written but not passed on yet, with its promise.
    private var held: (payload: HTTP2Frame.FramePayload, promise: EventLoopPromise<Void>?)?
    /// Closes a stream whose complete response the client's window keeps from going out.
    private var closingTimer: Scheduled<Void>?

    init(writeTimeout: Duration) {
        self.writeTimeout = writeTimeout
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        closingTimer?.cancel()
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .headers(headers) where !sawHead:
            sawHead = true
            switch Self.head(of: headers.headers, endsStream: headers.endStream) {
            case let .success(head):
                requestEnded = headers.endStream
                context.fireChannelRead(wrapInboundOut(.head(head)))
                if headers.endStream { context.fireChannelRead(wrapInboundOut(.end(nil))) }
            case let .failure(rejection):
                context.fireErrorCaught(rejection)
            }
        case .headers:
            // The trailers, which Sluice does not deliver (Spec BODY-8).
            requestEnded = true
            context.fireChannelRead(wrapInboundOut(.end(nil)))
        case let .data(data):
            guard case let .byteBuffer(bytes) = data.data else { return }
            if bytes.readableBytes > 0 { context.fireChannelRead(wrapInboundOut(.body(bytes))) }
            if data.endStream {
                requestEnded = true
                context.fireChannelRead(wrapInboundOut(.end(nil)))
            }
        default:
            break
        }
    }

    /// The request head a request's header block describes, or why it cannot be served.
    static func head(of block: HPACKHeaders, endsStream: Bool) -> Result<HTTPRequestHead, Rejection> {
        var method: String?
        var path: String?
        var authority: String?
        var fields: [(String, String)] = []
        fields.reserveCapacity(block.count + 1)
        var host: String?
        var cookieIndex: Int?
        var hasLength = false
        for (name, value, _) in block {
            if name.utf8.first == UInt8(ascii: ":") {
                switch name {
                case ":method": method = value
                case ":path": path = value
                case ":authority": authority = value
                default: break
                }
                continue
            }
            switch name {
            case "host":
                host = value
            case "content-length":
                hasLength = true
            case "cookie":
                if let index = cookieIndex {
                    fields[index].1 += "; " + value
                    continue
                }
                cookieIndex = fields.count
            default:
                break
            }
            fields.append((name, value))
        }
        // NIOHTTP2 made sure :method is there, and :path unless the method is CONNECT.
        let methodName = method ?? ""
        let target = path ?? ""
        guard target.utf8.first == UInt8(ascii: "/") || (target == "*" && methodName == "OPTIONS") || methodName == "CONNECT" else {
            return .failure(Rejection(status: .badRequest, reason: ":path \(target.debugDescription) is not in origin form"))
        }
        if let authority {
            if let host {
                guard host.lowercased() == authority.lowercased() else {
                    return .failure(Rejection(status: .badRequest, reason: "host \(host.debugDescription) and :authority \(authority.debugDescription) differ"))
                }
            } else {
                fields.insert(("host", authority), at: 0)
            }
        }
        if !endsStream && !hasLength {
            fields.append(("transfer-encoding", "chunked"))
        }
        return .success(
            HTTPRequestHead(
                version: HTTPVersion(major: 2, minor: 0), method: HTTPMethod(rawValue: methodName), uri: target, headers: HTTPHeaders(fields)
            ))
    }

    // MARK: Outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case let .head(head):
            let frame = HTTP2Frame.FramePayload.headers(.init(headers: Self.block(status: head.status.code, fields: head.headers)))
            if head.status.code < 200 {
                // An informational response goes out as it is: a final head follows it.
                passHeld(context)
                context.write(wrapOutboundOut(frame), promise: promise)
            } else {
                hold(frame, promise: promise, context)
            }
        case let .body(body):
            hold(.data(.init(data: body)), promise: promise, context)
        case let .end(trailers?):
            passHeld(context)
            let ending = responseEnding(promise, context)
            context.write(wrapOutboundOut(.headers(.init(headers: Self.block(status: nil, fields: trailers), endStream: true))), promise: ending)
        case .end(nil):
            let ending = responseEnding(promise, context)
            guard let (frame, heldPromise) = held else {
                return context.write(wrapOutboundOut(.data(.init(data: .byteBuffer(ByteBuffer()), endStream: true))), promise: ending)
            }
            held = nil
            var payload = frame
            switch payload {
            case var .headers(headers):
                headers.endStream = true
                payload = .headers(headers)
            case var .data(data):
                data.endStream = true
                payload = .data(data)
            default:
                break
            }
            if let heldPromise { ending.futureResult.cascade(to: heldPromise) }
            context.write(wrapOutboundOut(payload), promise: ending)
        }
    }

    /// The promise of the frame that ends the response — `promise`, or a new one — noted as the
    /// response's end.
    private func responseEnding(_ promise: EventLoopPromise<Void>?, _ context: ChannelHandlerContext) -> EventLoopPromise<Void> {
        let ending = promise ?? context.eventLoop.makePromise()
        responseSent = ending.futureResult
        return ending
    }

    func flush(context: ChannelHandlerContext) {
        passHeld(context)
        context.flush()
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        passHeld(context)
        guard responseEnded, closingTimer == nil else { return context.close(mode: mode, promise: promise) }
        context.flush()
        if !requestEnded {
            // Fails instead when the stream ends first: a reset by the client, or the timer below.
            responseSent?.assumeIsolated().whenSuccess { [self] in
                guard !requestEnded else { return }
                context.writeAndFlush(wrapOutboundOut(.rstStream(.noError)), promise: nil)
            }
        }
        closingTimer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(writeTimeout)) {
            context.close(promise: nil)
        }
        promise?.succeed(())
    }

    /// Holds `payload`, passing on the one held before it.
    private func hold(_ payload: HTTP2Frame.FramePayload, promise: EventLoopPromise<Void>?, _ context: ChannelHandlerContext) {
        passHeld(context)
        held = (payload, promise)
    }

    private func passHeld(_ context: ChannelHandlerContext) {
        guard let (payload, promise) = held else { return }
        held = nil
        context.write(wrapOutboundOut(payload), promise: promise)
    }

    /// A header block: `:status` (for a head), then `fields` with lowercase names, without the
    /// connection-specific fields HTTP/2 forbids (RFC 9113 §8.2.2).
    static func block(status: UInt?, fields: HTTPHeaders) -> HPACKHeaders {
        var block = HPACKHeaders()
        block.reserveCapacity(fields.count + 1)
        if let status { block.add(name: ":status", value: String(status)) }
        for (name, value) in fields {
            let lowercase = name.lowercased()
            switch lowercase {
            case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade": continue
            default: block.add(name: lowercase, value: value)
            }
        }
        return block
    }
}
