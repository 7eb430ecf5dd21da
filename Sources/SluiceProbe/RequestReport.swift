// The probe's main answer: every field of the request, as JSON.

import Sluice

extension Request {
    /// The report the probe answers with (Spec/probe.md, "The report"): every field the
    /// server filled, the body as read, the server's capabilities and the Spec version.
    func probeReport(id: String?, body: BodySummary) -> JSON {
        .object([
            ("probe", .number(Probe.formatVersion)),
            ("spec", .string(Probe.specVersion)),
            ("id", .optional(id)),
            ("method", .string(method.rawValue)),
            ("target", .string(target)),
            ("scriptName", .string(scriptName)),
            ("pathInfo", .string(pathInfo)),
            ("queryString", .string(queryString)),
            ("serverName", .string(serverName)),
            ("serverPort", .number(serverPort)),
            ("serverProtocol", .string(serverProtocol)),
            ("scheme", .string(scheme)),
            ("remoteAddress", .string(remoteAddress)),
            ("remotePort", .optional(remotePort)),
            ("metaVariables", .object(metaVariables.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("headers", .array(headers.map { .array([.string($0.name), .string($0.value)]) })),
            ("body", body.json),
            ("capabilities", capabilities.json),
        ])
    }
}

extension ServerCapabilities {
    /// Every capability flag, by its property name.
    var json: JSON {
        .object([
            ("isConcurrent", .bool(isConcurrent)),
            ("isMultiprocess", .bool(isMultiprocess)),
            ("isRunOnce", .bool(isRunOnce)),
            ("streamsRequestBody", .bool(streamsRequestBody)),
            ("honoursFlush", .bool(honoursFlush)),
            ("supportsTrailers", .bool(supportsTrailers)),
            ("supportsInformationalResponses", .bool(supportsInformationalResponses)),
            ("supportsWebSocket", .bool(supportsWebSocket)),
        ])
    }
}
