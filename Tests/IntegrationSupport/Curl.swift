// Curl.swift — HTTP requests made by the real curl binary, so that what reaches the
// server under test is what a real client sends.
import Foundation

/// Runs `/usr/bin/curl` (or the first `curl` on PATH) for each request, with no
/// `~/.curlrc`, no proxy settings from the environment and no URL globbing.
public enum Curl {
    /// Makes `request` and returns the final response.
    ///
    /// - Throws: `CurlFailure` when curl fails (connection refused, `--max-time`
    ///   exceeded, an empty reply…); `HarnessError` when curl is not installed.
    public static func fetch(_ request: CurlRequest) async throws -> HTTPResponse {
        try await runBlocking { try CurlRun(request: request).fetch() }
    }

    /// GETs `url` with the defaults of `CurlRequest`.
    public static func fetch(_ url: String) async throws -> HTTPResponse {
        try await fetch(CurlRequest(url))
    }

    /// Makes `request` with `curl -N` and records when each piece of the body arrives
    /// on curl's standard output, for tests that a server streams rather than buffers.
    ///
    /// - Throws: As `fetch(_:)`.
    public static func stream(_ request: CurlRequest) async throws -> StreamedResponse {
        try await runBlocking { try CurlRun(request: request).stream() }
    }
}

/// curl ended with a non-zero exit code: no complete response was received.
public struct CurlFailure: Error, CustomStringConvertible, Sendable {
    /// curl's exit code, such as 7 (could not connect), 28 (timed out) or 52 (empty reply).
    public let exitCode: Int32
    /// What curl wrote to standard error.
    public let message: String
    /// The arguments curl was run with.
    public let arguments: [String]

    /// "curl … failed with exit code 28: Operation timed out …".
    public var description: String {
        "curl \(arguments.joined(separator: " ")) failed with exit code \(exitCode): \(message)"
    }
}

/// One curl invocation in a scratch directory of its own.
private struct CurlRun {
    let request: CurlRequest

    func fetch() throws -> HTTPResponse {
        let scratch = try TemporaryDirectory(label: "curl", isScratch: true)
        let bodyOutput = scratch.appending("body")
        let headerDump = scratch.appending("headers")
        let arguments = request.arguments(
            headerDump: headerDump.path, bodyOutput: bodyOutput.path, bodyFile: try bodyFile(in: scratch)
        )
        let errorOutput = scratch.appending("stderr")
        let pid = try spawnCurl(arguments, in: scratch, standardOutput: .nullDevice, standardError: errorOutput)
        try check(reapChild(pid), arguments: arguments, errorOutput: errorOutput)
        let body = request.isHead ? Data() : (FileManager.default.contents(atPath: bodyOutput.path) ?? Data())
        return try HTTPResponse.parse(headerDump: contents(of: headerDump), body: body)
    }

    func stream() throws -> StreamedResponse {
        let scratch = try TemporaryDirectory(label: "curl", isScratch: true)
        let headerDump = scratch.appending("headers")
        let arguments = request.arguments(headerDump: headerDump.path, bodyOutput: nil, bodyFile: try bodyFile(in: scratch))
        let errorOutput = scratch.appending("stderr")
        let pipe = try GNUExtensions.closeOnExecPipe()
        let clock = ContinuousClock()
        let start = clock.now
        let pid: pid_t
        do {
            pid = try spawnCurl(arguments, in: scratch, standardOutput: .descriptor(pipe.write), standardError: errorOutput)
        } catch {
            close(pipe.read)
            close(pipe.write)
            throw error
        }
        close(pipe.write)
        defer { close(pipe.read) }
        var pieces: [StreamedResponse.Piece] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(pipe.read, $0.baseAddress, $0.count) }
            if count > 0 {
                pieces.append(.init(bytes: Data(buffer[..<count]), arrival: clock.now - start))
            } else if count == 0 || errno != EINTR {
                break
            }
        }
        try check(reapChild(pid), arguments: arguments, errorOutput: errorOutput)
        if request.isHead {
            pieces = []
        }
        let body = pieces.reduce(into: Data()) { $0.append($1.bytes) }
        let response = try HTTPResponse.parse(headerDump: contents(of: headerDump), body: body)
        return StreamedResponse(response: response, pieces: pieces)
    }

    private func bodyFile(in scratch: TemporaryDirectory) throws -> String? {
        switch request.body {
        case nil:
            return nil
        case .file(let file, _):
            return file.path
        case .bytes(let data, _):
            let file = scratch.appending("request-body")
            try data.write(to: file)
            return file.path
        }
    }

    private func spawnCurl(
        _ arguments: [String], in scratch: TemporaryDirectory,
        standardOutput: StreamTarget, standardError: URL
    ) throws -> pid_t {
        guard let curl = FrontServer.curl.executablePath else {
            throw HarnessError("curl is not installed (apt-get install -y curl)")
        }
        return try ChildSpawn(
            executablePath: curl,
            arguments: arguments,
            environment: ManagedProcess.minimalEnvironment(home: scratch.url),
            workingDirectory: nil,
            standardOutput: standardOutput,
            standardError: .file(standardError.path)
        ).spawn()
    }

    private func check(_ status: ExitStatus?, arguments: [String], errorOutput: URL) throws {
        guard status != .exited(code: 0) else {
            return
        }
        let message = String(decoding: (try? contents(of: errorOutput)) ?? Data(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        switch status {
        case .exited(let code):
            throw CurlFailure(exitCode: code, message: message, arguments: arguments)
        case .killed, nil:
            throw HarnessError("curl \(arguments.joined(separator: " ")) \(status?.description ?? "could not be reaped"): \(message)")
        }
    }

    private func contents(of file: URL) throws -> Data {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw HarnessError("curl left no \(file.lastPathComponent) file at \(file.path)")
        }
        return data
    }
}
