// A swift-log handler that writes to a Sluice request's error log.

#if Hummingbird
import Logging
import Sluice

/// Writes each event to one request's ``Sluice/ErrorLog`` as a line: `label level: message
/// key=value …`. Under FastCGI the line reaches the front server's error log with the
/// request it belongs to; under CGI, standard error; standalone, the server's log (Spec REQ-13).
struct ErrorLogHandler: LogHandler {
    let label: String
    let errorLog: ErrorLog
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        all.merge(metadataProvider?.get() ?? [:]) { _, provided in provided }
        all.merge(event.metadata ?? [:]) { _, given in given }
        let pairs = all.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        errorLog.write("\(label) \(event.level): \(event.message)\(pairs)")
    }
}
#endif
