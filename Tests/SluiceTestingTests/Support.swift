// Small tools the SluiceTesting tests share: a box for values seen inside an app, a signal.

import Sluice
import Synchronization

/// A value an application sets and a test reads afterwards.
final class Box<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    init(_ value: Value) {
        storage = Mutex(value)
    }

    var value: Value {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }

    func update(_ change: (inout Value) -> Void) {
        storage.withLock { change(&$0) }
    }
}

/// A one-shot signal: the test fires it, an application waits for it.
struct Signal: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream()
    }

    func fire() {
        continuation.yield()
        continuation.finish()
    }

    func wait() async {
        for await _ in stream { return }
    }
}

extension Response {
    /// A plain-text response streamed by `produce`.
    static func streamed(_ produce: @escaping @Sendable (any ResponseBodyWriter) async throws -> Void) -> Response {
        Response(headers: ["Content-Type": "text/plain"], body: .stream(produce))
    }
}

/// An application that streams the request body back as it reads it.
let echo = App { request in
    Response(
        headers: ["Content-Type": "application/octet-stream"],
        body: .stream { writer in
            for try await chunk in request.body {
                try await writer.write(chunk)
            }
        })
}

/// An application that answers with what it received, one `name: value` line per field of interest.
let inspector = App { request in
    let lines = [
        "method: \(request.method)",
        "target: \(request.target)",
        "scriptName: \(request.scriptName)",
        "pathInfo: \(request.pathInfo)",
        "queryString: \(request.queryString)",
        "serverName: \(request.serverName)",
        "serverPort: \(request.serverPort)",
        "serverProtocol: \(request.serverProtocol)",
        "scheme: \(request.scheme)",
        "remoteAddress: \(request.remoteAddress)",
        "remotePort: \(request.remotePort.map(String.init) ?? "none")",
        "expectedLength: \(request.body.expectedLength.map(String.init) ?? "none")",
    ]
    return .text(lines.joined(separator: "\n") + "\n\(request.headers)")
}
