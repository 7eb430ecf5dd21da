// A file a client uploaded, saved in a temporary file.

import Synchronization

/// An uploaded file, written to a temporary file as it arrived.
///
/// Keep it with ``move(to:)``; a file that ``Request/form(limits:multipartLimits:)`` saved and the
/// application did not move is removed when the request completes.
public final class UploadedFile: Sendable {
    /// The form field it came in.
    public let fieldName: String
    /// The client's file name, made safe (``FileName/sanitised(_:)``), or `nil`.
    public let filename: String?
    /// The media type the client declared for it: a claim, not a fact.
    public let contentType: String
    /// Its size in bytes.
    public let size: Int
    private let location: Mutex<(path: String, moved: Bool)>

    init(part: MultipartPart, path: String, size: Int) {
        fieldName = part.name
        filename = part.filename
        contentType = part.contentType
        self.size = size
        location = Mutex((path, false))
    }

    /// Where the file is now.
    public var path: String { location.withLock { $0.path } }

    /// Moves the file to `destination` (on the same file system), where it stays.
    public func move(to destination: String) throws {
        try location.withLock { location in
            try FileSystem.move(location.path, to: destination)
            location = (destination, true)
        }
    }

    /// Deletes the temporary file, unless it was moved.
    public func remove() {
        location.withLock { location in
            if !location.moved { FileSystem.remove(location.path) }
        }
    }
}
