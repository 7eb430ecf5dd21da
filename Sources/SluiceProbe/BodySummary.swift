// What the probe learns from reading a request body: its length and two digests.

import Sluice

/// A request body as the probe read it: how many bytes, their digests, and how reading ended.
struct BodySummary: Sendable {
    /// The length the request declared, or `nil` when unknown (chunked).
    var expectedLength: Int?
    /// The bytes read.
    var bytesRead = 0
    /// The number of chunks the body arrived in.
    var chunks = 0
    /// SHA-256 of the bytes read, in hexadecimal.
    var sha256: String
    /// FNV-1a (64 bits) of the bytes read, in hexadecimal: quick to compute in any test.
    var fnv1a64: String
    /// Why reading stopped early, if it did (a truncated body, a disconnect).
    var error: String?
    /// Whether the probe left the body unread (`X-Probe-Body: ignore`).
    var ignored = false

    /// Reads `body` to its end, hashing as it goes; a read error is recorded, not thrown.
    static func reading(_ body: RequestBody) async -> BodySummary {
        var sha = SHA256()
        var fnv = FNV1a64()
        var summary = BodySummary(expectedLength: body.expectedLength, sha256: "", fnv1a64: "")
        do {
            for try await chunk in body {
                summary.bytesRead += chunk.count
                summary.chunks += 1
                sha.update(chunk)
                fnv.update(chunk)
            }
        } catch {
            summary.error = String(describing: error)
        }
        summary.sha256 = sha.hexDigest
        summary.fnv1a64 = fnv.hexDigest
        return summary
    }

    /// A body the probe was told not to read.
    static func ignoring(_ body: RequestBody) -> BodySummary {
        BodySummary(expectedLength: body.expectedLength, sha256: SHA256().hexDigest, fnv1a64: FNV1a64().hexDigest, ignored: true)
    }

    /// The summary as the report's `body` member.
    var json: JSON {
        .object([
            ("expectedLength", .optional(expectedLength)),
            ("bytesRead", .number(bytesRead)),
            ("chunks", .number(chunks)),
            ("sha256", .string(sha256)),
            ("fnv1a64", .string(fnv1a64)),
            ("error", .optional(error)),
            ("ignored", .bool(ignored)),
        ])
    }
}
