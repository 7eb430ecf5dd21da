// CPU per request in one process, through Sluice's gateway — the driver every adapter runs —
// with the response written to a writer that drops it: what an application adds to a
// request, without the wire.
//
//   hello                a bare App answering text (the baseline)
//   toolkit-hello        the same answer from a route among 100 in the toolkit's Router
//   toolkit-json-echo    POST /echo: a JSON body decoded and encoded back by the toolkit
//   hummingbird-echo     the same endpoint in a Hummingbird 2 router, behind the same gateway

import BenchApps
import Sluice
import SluiceGateway

/// A response writer that drops everything: the wire is not what is measured.
struct NullWriter: ResponseWriter {
    func writeHead(status: Response.Status, headers: Headers) async throws {}
    func write(_ bytes: [UInt8]) async throws {}
    func flush() async throws {}
    func finish(trailers: Headers?) async throws {}
    func writeWholeResponse(status: Response.Status, headers: Headers, body: [UInt8]) async throws -> Bool { true }
}

func request(_ method: Request.Method, _ path: String, json: Bool = false) -> Request {
    Request(
        method: method, target: path, pathInfo: path,
        headers: json ? ["Host": "localhost", "Content-Type": "application/json", "Content-Length": String(echoBody.count)] : ["Host": "localhost"],
        body: json ? RequestBody(bytes: echoBody) : .empty
    )
}

/// One case: a request maker and the application that answers it.
struct Case: Sendable {
    var name: String
    var make: @Sendable () -> Request
    var application: any Application
}

/// Runs `count` requests of a case and returns the CPU ns each took. Nonisolated, so that the
/// loop and the gateway share one executor, as in a server: no hop per request.
nonisolated func time(_ benchmark: Case, _ count: Int) async -> Double {
    let writer = NullWriter()
    let start = processCPUNanoseconds()
    for _ in 0..<count { _ = await Gateway.respond(to: benchmark.make(), with: benchmark.application, through: writer) }
    return (processCPUNanoseconds() - start) / Double(count)
}

/// The cases take turns, round by round, so that load from elsewhere weighs on all alike;
/// each gets the median of its rounds, in ns per request.
nonisolated func measure(_ cases: [Case], rounds: Int = 9, iterations: Int = 20_000) async {
    for benchmark in cases {
        let first = await Gateway.respond(to: benchmark.make(), with: benchmark.application, through: NullWriter())
        precondition(first.status?.code == 200 || first.status?.code == 201, "\(benchmark.name) answered \(String(describing: first.status))")
        _ = await time(benchmark, 2000)
    }
    var timings = Array(repeating: [Double](), count: cases.count)
    for _ in 0..<rounds {
        for (index, benchmark) in cases.enumerated() { timings[index].append(await time(benchmark, iterations)) }
    }
    for (benchmark, times) in zip(cases, timings) {
        let median = times.sorted()[rounds / 2]
        print(benchmark.name + String(repeating: " ", count: max(1, 20 - benchmark.name.count)) + "\(Int(median.rounded())) ns CPU/request")
    }
}

/// `DispatchBench` times every case; `DispatchBench NAME COUNT` only runs COUNT requests of one
/// case, for a profiler.
let arguments = Array(CommandLine.arguments.dropFirst())
let cases = [
    Case(name: "hello", make: { request(.get, "/hello") }, application: plainHello),
    Case(name: "toolkit-hello", make: { request(.get, "/hello") }, application: toolkitRouter),
    Case(name: "toolkit-json-echo", make: { request(.post, "/echo", json: true) }, application: toolkitRouter),
    Case(name: "hummingbird-echo", make: { request(.post, "/echo", json: true) }, application: hummingbirdEcho),
]
if arguments.count == 2, let benchmark = cases.first(where: { $0.name == arguments[0] }), let count = Int(arguments[1]) {
    _ = await time(benchmark, count)
} else {
    await measure(cases)
}
