// A file as a response: validators, conditional requests, byte ranges, streamed from disk.

public import Sluice

extension Response {
    /// The file at `path` as the answer to `request` (GET or HEAD), the way a static file
    /// server answers (RFC 9110 sections 8.8, 13 and 14).
    ///
    /// - `ETag` (from the size and modification time), `Last-Modified`, `Accept-Ranges: bytes`
    ///   and `Content-Type` (given, or ``MediaTypes`` by the file's extension).
    /// - Conditional requests: `If-Match` and `If-Unmodified-Since` that fail give 412;
    ///   `If-None-Match` and `If-Modified-Since` that hold give 304.
    /// - `Range`: one range gives 206 with `Content-Range`; several give 206
    ///   `multipart/byteranges`; `If-Range` that does not match gives the whole file.
    /// - The bytes are read from disk as the client takes them, 64 KiB at a time; a file
    ///   that changes in between ends the response early rather than mixing versions.
    ///
    /// `path` is trusted: serve paths from a client through ``StaticFiles``, which checks them.
    ///
    /// - Parameter downloadName: When set, `Content-Disposition: attachment` with this name
    ///   (made safe), so that browsers save the file instead of showing it.
    /// - Throws: ``HTTPError`` 404 when there is no regular file at `path`; 412 for a failed
    ///   precondition; 416 (with `Content-Range: bytes */size`) for a range that cannot be sent.
    public static func file(
        at path: String,
        for request: Request,
        contentType: String? = nil,
        downloadName: String? = nil
    ) throws -> Response {
        guard let file = try? OpenFile.reading(path), let status = try? file.status(), status.isRegularFile else {
            throw HTTPError(.notFound, detail: "nothing is at \(request.path)")
        }
        let representation = FileRepresentation(path: path, status: status)
        var headers: Headers = [
            "ETag": representation.entityTag.fieldValue,
            "Last-Modified": HTTPDate.format(status.modified),
        ]
        if let notModified = try representation.evaluatePreconditions(of: request, headers: headers) {
            return notModified
        }
        headers.append(name: "Accept-Ranges", value: "bytes")
        let type = contentType ?? MediaTypes.type(forFileName: path)
        if let downloadName {
            headers.append(name: "Content-Disposition", value: ContentDisposition.attachment(named: downloadName))
        }
        switch representation.ranges(for: request) {
        case .whole:
            headers.append(name: "Content-Type", value: type)
            return Response(status: .ok, headers: headers, body: representation.body(of: status.size > 0 ? [0...(status.size - 1)] : []))
        case let .ranges(ranges) where ranges.count == 1:
            headers.append(name: "Content-Type", value: type)
            headers.append(name: "Content-Range", value: "bytes \(ranges[0].lowerBound)-\(ranges[0].upperBound)/\(status.size)")
            return Response(status: .partialContent, headers: headers, body: representation.body(of: ranges))
        case let .ranges(ranges):
            let boundary = String(UInt64.random(in: .min ... .max), radix: 16)
            headers.append(name: "Content-Type", value: "multipart/byteranges; boundary=\(boundary)")
            return Response(status: .partialContent, headers: headers, body: representation.multipartBody(of: ranges, type: type, boundary: boundary))
        case .unsatisfiable:
            throw HTTPError(
                .rangeNotSatisfiable,
                detail: "the Range asked for cannot be sent: the file has \(status.size) bytes",
                headers: ["Content-Range": "bytes */\(status.size)"]
            )
        }
    }
}

/// A file on disk as one representation: its validators and its bytes.
struct FileRepresentation {
    var path: String
    var status: FileStatus

    /// A strong tag from the modification time and the size, as nginx makes one (with nanoseconds).
    var entityTag: EntityTag {
        EntityTag(
            opaque: String(status.modified, radix: 16) + "." + String(status.modifiedNanoseconds, radix: 16) + "-" + String(status.size, radix: 16),
            isWeak: false
        )
    }

    /// The 304 to send, `nil` to go on, or a 412 thrown: RFC 9110 section 13.2.2's order.
    func evaluatePreconditions(of request: Request, headers: Headers) throws -> Response? {
        let isRead = request.method == .get || request.method == .head
        if let ifMatch = request.headers["If-Match"] {
            guard EntityTag.Condition(parsing: ifMatch).contains(entityTag, strongly: true) else { throw failedPrecondition("If-Match") }
        } else if let since = request.headers["If-Unmodified-Since"].flatMap(HTTPDate.parse), status.modified > since {
            throw failedPrecondition("If-Unmodified-Since")
        }
        if let ifNoneMatch = request.headers["If-None-Match"] {
            if EntityTag.Condition(parsing: ifNoneMatch).contains(entityTag, strongly: false) {
                guard isRead else { throw failedPrecondition("If-None-Match") }
                return Response(status: .notModified, headers: headers)
            }
        } else if isRead, let since = request.headers["If-Modified-Since"].flatMap(HTTPDate.parse), status.modified <= since {
            return Response(status: .notModified, headers: headers)
        }
        return nil
    }

    private func failedPrecondition(_ field: String) -> HTTPError {
        HTTPError(.preconditionFailed, detail: "the \(field) condition does not hold for the current file")
    }

    /// The ranges to send: the `Range` field resolved, unless `If-Range` names another version.
    func ranges(for request: Request) -> ByteRanges {
        guard request.method == .get || request.method == .head, let range = request.headers["Range"] else { return .whole }
        if let ifRange = request.headers["If-Range"]?.trimmingASCIIWhitespace() {
            let current =
                ifRange.hasPrefix("\"") || ifRange.hasPrefix("W/")
                ? EntityTag.Condition(parsing: ifRange).contains(entityTag, strongly: true)
                : HTTPDate.parse(ifRange) == status.modified
            guard current else { return .whole }
        }
        guard status.size > 0 else { return .unsatisfiable }
        return ByteRanges(parsing: range, size: status.size)
    }

    /// The bytes of `ranges`, read as they are written.
    func body(of ranges: [ClosedRange<Int>]) -> ResponseBody {
        let length = ranges.reduce(0) { $0 + $1.count }
        return ResponseBody(length: length) { writer in
            let file = try reopened()
            for range in ranges {
                try await copy(range, of: file, to: writer)
            }
        }
    }

    /// `multipart/byteranges` with a part for each range.
    func multipartBody(of ranges: [ClosedRange<Int>], type: String, boundary: String) -> ResponseBody {
        let heads = ranges.enumerated().map { index, range in
            Array(
                ((index == 0 ? "" : "\r\n") + "--\(boundary)\r\nContent-Type: \(type)\r\n"
                    + "Content-Range: bytes \(range.lowerBound)-\(range.upperBound)/\(status.size)\r\n\r\n").utf8)
        }
        let tail = Array("\r\n--\(boundary)--\r\n".utf8)
        let length = zip(heads, ranges).reduce(tail.count) { $0 + $1.0.count + $1.1.count }
        return ResponseBody(length: length) { writer in
            let file = try reopened()
            for (head, range) in zip(heads, ranges) {
                try await writer.write(head)
                try await copy(range, of: file, to: writer)
            }
            try await writer.write(tail)
        }
    }

    /// The file opened again, when it is still the version the head described.
    private func reopened() throws -> OpenFile {
        let file = try OpenFile.reading(path)
        guard try file.status() == status else { throw SystemError(call: "serving \(path): the file changed", code: 0) }
        return file
    }

    private func copy(_ range: ClosedRange<Int>, of file: OpenFile, to writer: any ResponseBodyWriter) async throws {
        var offset = range.lowerBound
        while offset <= range.upperBound {
            let chunk = try file.read(count: min(64 * 1024, range.upperBound + 1 - offset), at: offset)
            guard !chunk.isEmpty else { throw SystemError(call: "serving \(path): the file got shorter", code: 0) }
            try await writer.write(chunk)
            offset += chunk.count
        }
    }
}

/// `Content-Disposition` values for downloads (RFC 6266).
enum ContentDisposition {
    /// `attachment` with a safe ASCII `filename` and the full name as `filename*` (UTF-8).
    static func attachment(named name: String) -> String {
        let safe = FileName.sanitised(name) ?? "download"
        // RFC 8187 attr-char: letters, digits and these; everything else percent-encoded.
        let encoded = FormEncoding.percentEncode(name) { "!#$&+-.^_`|~".utf8.contains($0) }
        return "attachment; filename=\"\(safe)\"; filename*=UTF-8''" + encoded
    }
}
