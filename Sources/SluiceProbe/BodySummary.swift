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
    /// SHA-256 of the bytes read, in hexadecimal; `nil` when only counting.
    var sha256: String?
    /// FNV-1a (64 bits) of the bytes read, in hexadecimal: quick to compute in any test;
    /// `nil` when only counting.
    var fnv1a64: String?
    /// Why reading stopped early, if it did (a truncated body, a disconnect).
    var error: String?
    /// Whether the probe left the body unread (`body: ignore`).
    var ignored = false

    /// Reads `body` as `reading` says; a read error is recorded, not thrown.
    static func reading(_ body: RequestBody, _ reading: ProbeOptions.BodyReading) async -> BodySummary {
        var summary = BodySummary(expectedLength: body.expectedLength)
        guard reading != .ignore else {
            summary.ignored = true
            return summary
        }
        var sha = SHA256()
        var fnv = FNV1a64()
        do {
            for try await chunk in body {
                summary.bytesRead += chunk.count
                summary.chunks += 1
                if reading == .digest {
                    sha.update(chunk)
                    fnv.update(chunk)
                }
            }
        } catch {
            summary.error = String(describing: error)
        }
        if reading == .digest {
            summary.sha256 = sha.hexDigest
            summary.fnv1a64 = fnv.hexDigest
        }
        return summary
    }

    /// The summary as the report's `body` member.
    var json: JSON {
        .object([
            ("expectedLength", .optional(expectedLength)),
            ("bytesRead", .number(bytesRead)),
            ("chunks", .number(chunks)),
            ("sha256", .optional(sha256)),
            ("fnv1a64", .optional(fnv1a64)),
            ("error", .optional(error)),
            ("ignored", .bool(ignored)),
        ])
    }
}
