// The applications Benchmarks/Toolkit compares, shared by the in-process benchmark and the
// server it runs under wrk: a bare hello, the toolkit's router of 100 routes with a hello and a
// JSON echo, and the same echo in a Hummingbird 2 router behind Sluice's gateway.

import Glibc
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Sluice
import SluiceJSON
import SluiceToolkit

/// A note, as the benchmark's JSON endpoints take and return it.
public struct Note: Codable, Sendable, ResponseEncodable {
    /// Its title.
    public var title: String
    /// Its text.
    public var body: String
    /// Its tags.
    public var tags: [String]
}

/// The JSON body every echo request sends.
public let echoBody = Array(#"{"title": "A note", "body": "Some text that is not very long.", "tags": ["a", "b"]}"#.utf8)

/// A bare hello: the baseline.
public let plainHello = App { request in .text("Hello from \(request.path)\n") }

/// The toolkit: a router of 100 routes, `GET /hello` and `POST /echo` among them.
public let toolkitRouter: SluiceToolkit.Router = {
    var router = SluiceToolkit.Router()
    for resource in 0..<10 {
        for suffix in ["", "/:id", "/:id/children", "/:id/children/:child", "/search/recent"] {
            router.get("/resource\(resource)\(suffix)") { _ in .text("other\n") }
        }
        for suffix in ["", "/:id/children"] { router.post("/resource\(resource)\(suffix)") { _ in .text("other\n") } }
        for suffix in ["/:id", "/:id/children/:child"] { router.delete("/resource\(resource)\(suffix)") { _ in .text("other\n") } }
    }
    router.get("/hello") { request in .text("Hello from \(request.path)\n") }
    router.post("/echo") { request in try .json(try await request.decode(Note.self)) }
    return router
}()

// Hummingbird 2, behind the same gateway: a minimal Sluice application around its responder
// (the SluiceHummingbird bridge does this in full).
struct BenchContext: Hummingbird.RequestContext {
    typealias Source = BenchSource
    var coreContext: CoreRequestContextStorage
    init(source: BenchSource) { coreContext = .init(source: source) }
}

struct BenchSource: RequestContextSource {
    let logger: Logger
}

/// The bytes a Hummingbird response body wrote (the writer is consumed; the box stays).
final class Collected: @unchecked Sendable {
    var buffer = ByteBuffer()
}

struct BufferCollector: HummingbirdCore.ResponseBodyWriter {
    let collected: Collected
    mutating func write(_ part: ByteBuffer) async throws { collected.buffer.writeImmutableBuffer(part) }
    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

struct HummingbirdOnSluice<Responder: HTTPResponder>: Sluice.Application where Responder.Context == BenchContext {
    let responder: Responder
    let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }

    func respond(to request: Sluice.Request) async throws -> Sluice.Response {
        var fields = HTTPFields()
        for field in request.headers { if let name = HTTPField.Name(field.name) { fields.append(HTTPField(name: name, value: field.value)) } }
        let head = HTTPRequest(
            method: HTTPRequest.Method(request.method.rawValue)!, scheme: request.scheme, authority: "localhost", path: request.pathInfo, headerFields: fields)
        let body = HummingbirdCore.RequestBody(asyncSequence: request.body.map { ByteBuffer(bytes: $0) })
        let response = try await responder.respond(
            to: HummingbirdCore.Request(head: head, body: body), context: BenchContext(source: BenchSource(logger: logger)))
        let collected = Collected()
        try await response.body.write(BufferCollector(collected: collected))
        var headers = Headers()
        for field in response.headers { headers.append(name: field.name.rawName, value: field.value) }
        return Sluice.Response(
            status: .init(code: Int(response.status.code)), headers: headers, body: Sluice.ResponseBody(bytes: Array(buffer: collected.buffer)))
    }
}

/// Hummingbird 2's router with `POST /echo`, as a Sluice application.
public let hummingbirdEcho: any Sluice.Application = {
    let router = Hummingbird.Router(context: BenchContext.self)
    router.post("/echo") { request, context -> Note in try await request.decode(as: Note.self, context: context) }
    return HummingbirdOnSluice(responder: router.buildResponder())
}()

/// The CPU time this process has used, in nanoseconds: what the benchmarks time, as wall
/// time counts whatever else the machine runs meanwhile.
public func processCPUNanoseconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) * 1e9 + Double(time.tv_nsec)
}
