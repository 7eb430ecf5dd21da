// A submitted form: its fields, and its files when it came as multipart/form-data.

public import Sluice

/// The fields and files of a submitted form (Werkzeug's `request.form` and `request.files`).
public struct Form: Sendable {
    /// The fields that are not files, in order.
    public var fields: FormFields
    /// The uploaded files, in order; empty for a URL-encoded form.
    public var files: [UploadedFile]

    /// The first value of the named field, or `nil`.
    public subscript(name: String) -> String? { fields[name] }

    /// The first file uploaded in the named field, or `nil`.
    public func file(_ name: String) -> UploadedFile? {
        files.first { $0.fieldName == name }
    }
}

extension Request {
    /// The query string's fields (``FormFields``).
    ///
    /// - Throws: ``HTTPError`` 400 for malformed escapes, bytes that are not UTF-8, or more
    ///   than the limits allow.
    public func query(limits: FormLimits = FormLimits()) throws -> FormFields {
        try FormFields(parsing: queryString, limits: limits)
    }

    /// The body as a form: `application/x-www-form-urlencoded`, or `multipart/form-data` with
    /// its files saved to temporary files (in `uploadDirectory`, `TMPDIR` or `/tmp`) that are
    /// removed when the request completes unless moved.
    ///
    /// - Throws: ``HTTPError`` 415 for another media type; 413 past a limit; 400 for a
    ///   malformed body.
    public func form(
        limits: FormLimits = FormLimits(),
        multipartLimits: MultipartLimits = MultipartLimits(),
        uploadDirectory: String? = nil
    ) async throws -> Form {
        switch mediaType?.essence {
        case "application/x-www-form-urlencoded":
            return Form(fields: try await urlEncodedForm(limits: limits), files: [])
        case "multipart/form-data":
            return try await multipartForm(limits: multipartLimits, uploadDirectory: uploadDirectory)
        default:
            throw HTTPError(.unsupportedMediaType, detail: "the body must be application/x-www-form-urlencoded or multipart/form-data")
        }
    }

    private func urlEncodedForm(limits: FormLimits) async throws -> FormFields {
        let bytes: [UInt8]
        do {
            bytes = try await body.collect(upTo: limits.maxBytes)
        } catch RequestBodyError.tooLarge {
            throw HTTPError(.contentTooLarge, detail: "the form is larger than \(limits.maxBytes) bytes")
        }
        do {
            return try FormEncoding.parse(String(decoding: bytes, as: UTF8.self), limits: limits)
        } catch {
            throw error.httpError(limitStatus: .contentTooLarge, of: "the form")
        }
    }

    private func multipartForm(limits: MultipartLimits, uploadDirectory: String?) async throws -> Form {
        let reader = try multipart(limits: limits)
        var form = Form(fields: FormFields(), files: [])
        var fieldBytesLeft = limits.maxFieldBytes
        do {
            while let part = try await reader.nextPart() {
                if part.isFile {
                    let file = try await reader.save(in: uploadDirectory)
                    form.files.append(file)
                } else {
                    let value = try await reader.text(upTo: fieldBytesLeft)
                    fieldBytesLeft -= value.utf8.count
                    form.fields.append(name: part.name, value: value)
                }
            }
        } catch {
            for file in form.files { file.remove() }
            throw error
        }
        let files = form.files
        if !files.isEmpty {
            onCompletion { _ in
                for file in files { file.remove() }
            }
        }
        return form
    }
}
