// The probe's JSON answers (Spec/probe.md §3, §5), decoded for checks.

/// What the probe reports about a request (Spec/probe.md §3).
struct ProbeReport: Decodable {
    struct Body: Decodable {
        let expectedLength: Int?
        let bytesRead: Int
        let fnv1a64: String?
        let error: String?
        let ignored: Bool
    }

    struct Capabilities: Decodable, Equatable {
        let isConcurrent: Bool
        let isMultiprocess: Bool
        let isRunOnce: Bool
        let streamsRequestBody: Bool
        let honoursFlush: Bool
        let supportsTrailers: Bool
        let supportsInformationalResponses: Bool
        /// Absent from reports of format 1, which predate WebSocket.
        let supportsWebSocket: Bool?
    }

    let probe: Int
    let id: String?
    let method: String
    let target: String
    let scriptName: String
    let pathInfo: String
    let queryString: String
    let serverName: String
    let serverPort: Int
    let serverProtocol: String
    let scheme: String
    let remoteAddress: String
    let remotePort: Int?
    let metaVariables: [String: String]
    let headers: [[String]]
    let body: Body
    let capabilities: Capabilities

    /// The header fields as received, in order.
    var fields: [Field] { headers.compactMap { $0.count == 2 ? Field(name: $0[0], value: $0[1]) : nil } }

    /// Every value of the header fields named `name` (any case), in order.
    func values(_ name: String) -> [String] {
        fields.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    /// Decodes the probe's answer; the failure names what the body was instead.
    static func decode(_ response: HTTPResponse) throws -> ProbeReport {
        try JSONValueDecoder.decode(ProbeReport.self, from: response.body)
    }
}

/// What the probe's completion hook saw for a request with an id (Spec/probe.md §5).
struct CompletionRecord: Decodable {
    let state: String
    let status: Int?
    let bodyBytesSent: Int?
    let succeeded: Bool?
    let clientDisconnected: Bool?
    let error: String?
    let applicationError: String?
    let bodyError: String?
    let sawCancellation: Bool?
    let hookRuns: Int?

    var isCompleted: Bool { state == "completed" }
}
