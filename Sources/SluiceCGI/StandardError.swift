// A CGI program's standard error: the front server keeps what is written there in its error log.

public import Sluice

extension ErrorLog {
    /// A log that writes each message as a line to the process's standard error (Spec REQ-13);
    /// the default of ``CGI/serve(_:environment:input:output:errorLog:limits:)``.
    @usableFromInline static let standardError = ErrorLog { message in
        let line = message.hasSuffix("\n") ? message : message + "\n"
        try? FileDescriptor(rawValue: 2).write(Array(line.utf8))
    }
}
