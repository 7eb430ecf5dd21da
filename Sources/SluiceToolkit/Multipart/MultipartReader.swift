// Reading a multipart/form-data request body part by part, as it streams in.

public import Sluice

/// Reads the parts of a `multipart/form-data` body while it arrives (Go's `multipart.Reader`).
///
/// Parts come in order; a part's body is read with ``nextChunk()`` (or ``collect(upTo:)``,
/// ``save(in:)``) before the next ``nextPart()``, which skips whatever of it was not read.
/// Nothing is buffered beyond one chunk and one part's header block, so a file can go to disk
/// or to the application's own sink as it arrives.
///
/// ```swift
/// let reader = try request.multipart()
/// while let part = try await reader.nextPart() {
///     if part.isFile { upload = try await reader.save(in: directory) }
///     else { fields.append(name: part.name, value: try await reader.text()) }
/// }
/// ```
///
/// Errors are ``HTTPError``s: 400 for a malformed or truncated body, 413 past a limit.
public final class MultipartReader {
    private var parser: MultipartParser
    private var body: RequestBody.Iterator
    private let limits: MultipartLimits
    private var bytesRead = 0
    private var currentPart: MultipartPart?
    private var finished = false

    /// Creates a reader of `body`, whose `Content-Type` gave `boundary`.
    ///
    /// - Throws: ``HTTPError`` 400 for a boundary RFC 2046 does not allow, 413 when the body
    ///   declares more than `limits.maxBytes`.
    public init(body: RequestBody, boundary: String, limits: MultipartLimits = MultipartLimits()) throws {
        guard let parser = MultipartParser(boundary: boundary, limits: limits) else {
            throw HTTPError(.badRequest, detail: "the multipart boundary is not 1 to 70 characters of those RFC 2046 allows")
        }
        if let length = body.expectedLength, length > limits.maxBytes {
            throw HTTPError(.contentTooLarge, detail: "the request body is larger than \(limits.maxBytes) bytes")
        }
        self.parser = parser
        self.body = body.makeAsyncIterator()
        self.limits = limits
    }

    /// The next part, after skipping the rest of the current one; `nil` after the last.
    public func nextPart() async throws -> MultipartPart? {
        while !finished {
            switch try await nextEvent() {
            case let .partBegan(headers):
                let part = try MultipartPart(headers: headers)
                currentPart = part
                return part
            case .finished:
                finished = true
            case .bodyBytes, .partEnded:
                continue
            }
        }
        return nil
    }

    /// The next bytes of the current part's body; `nil` at its end.
    public func nextChunk() async throws -> [UInt8]? {
        guard currentPart != nil else { return nil }
        switch try await nextEvent() {
        case let .bodyBytes(bytes):
            return bytes
        case .partEnded:
            currentPart = nil
            return nil
        case .partBegan, .finished:
            preconditionFailure("the multipart parser left a part without ending it")
        }
    }

    /// The rest of the current part's body, in memory.
    ///
    /// - Throws: ``HTTPError`` 413 past `limit` bytes.
    public func collect(upTo limit: Int) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let chunk = try await nextChunk() {
            guard bytes.count + chunk.count <= limit else {
                throw HTTPError(.contentTooLarge, detail: "a field of the multipart body is larger than \(limit) bytes")
            }
            bytes += chunk
        }
        return bytes
    }

    /// The rest of the current part's body as UTF-8 text.
    ///
    /// - Throws: ``HTTPError`` 413 past `limit` bytes, 400 for bytes that are not UTF-8.
    public func text(upTo limit: Int = 1 << 20) async throws -> String {
        guard let text = String(validating: try await collect(upTo: limit), as: UTF8.self) else {
            throw HTTPError(.badRequest, detail: "a field of the multipart body is not UTF-8")
        }
        return text
    }

    /// Writes the rest of the current part's body to a new temporary file in `directory`
    /// (`TMPDIR` or `/tmp` by default), chunk by chunk as it arrives.
    ///
    /// The file belongs to the caller: ``UploadedFile/move(to:)`` keeps it, ``UploadedFile/remove()``
    /// deletes it. ``Request/form(limits:multipartLimits:)`` removes its files when the request completes.
    public func save(in directory: String? = nil) async throws -> UploadedFile {
        guard let part = currentPart else { preconditionFailure("save(in:) called between parts") }
        let (path, file) = try OpenFile.temporary(in: directory ?? FileSystem.temporaryDirectory, prefix: "sluice-upload-")
        var size = 0
        do {
            while let chunk = try await nextChunk() {
                try file.write(chunk)
                size += chunk.count
            }
        } catch {
            FileSystem.remove(path)
            throw error
        }
        return UploadedFile(part: part, path: path, size: size)
    }

    /// The next parser event, reading more of the body as needed and counting it against the limit.
    private func nextEvent() async throws -> MultipartParser.Event {
        while true {
            do {
                if let event = try parser.next() { return event }
                guard let chunk = try await body.next() else {
                    try parser.finish()
                    preconditionFailure("a finished multipart parser asked for more input")
                }
                bytesRead += chunk.count
                guard bytesRead <= limits.maxBytes else {
                    throw HTTPError(.contentTooLarge, detail: "the request body is larger than \(limits.maxBytes) bytes")
                }
                parser.append(chunk)
            } catch let failure as MultipartParser.Failure {
                throw failure.httpError
            }
        }
    }
}

extension Request {
    /// A reader of this request's `multipart/form-data` body.
    ///
    /// - Throws: ``HTTPError`` 415 for another media type, 400 without a valid boundary, 413
    ///   when the body declares more than `limits.maxBytes`.
    public func multipart(limits: MultipartLimits = MultipartLimits()) throws -> MultipartReader {
        guard let type = mediaType, type.essence == "multipart/form-data" else {
            throw HTTPError(.unsupportedMediaType, detail: "the body must be multipart/form-data")
        }
        guard let boundary = type.parameter("boundary") else {
            throw HTTPError(.badRequest, detail: "the multipart/form-data body names no boundary")
        }
        return try MultipartReader(body: body, boundary: boundary, limits: limits)
    }
}
