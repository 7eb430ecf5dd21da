// Serving an application from a program's main, configured by its command-line flags.

import Sluice
import Glibc

extension HTTPServer {
    /// Serves `application` as the flags in `arguments` say (``HTTPServerConfiguration/usage``)
    /// until SIGTERM or SIGINT; returns the exit status for `exit`: 0 after a graceful
    /// shutdown, 1 when start-up or listening failed, 2 for bad flags. `--help` prints the flags.
    ///
    /// ```swift
    /// exit(await HTTPServer.runFromCommandLine(hello))
    /// ```
    public static func runFromCommandLine(
        _ application: App,
        arguments: [String] = Array(CommandLine.arguments.dropFirst())
    ) async -> Int32 {
        let program = CommandLine.arguments.first.map { String($0.split(separator: "/").last ?? "") } ?? "server"
        if arguments.contains("--help") {
            writeStandardError("usage: \(program) [flags]\n\(HTTPServerConfiguration.usage)\n")
            return 0
        }
        let configuration: HTTPServerConfiguration
        do {
            configuration = try HTTPServerConfiguration(arguments: arguments)
        } catch {
            writeStandardError("\(program): \(error)\nusage: \(program) [flags]\n\(HTTPServerConfiguration.usage)\n")
            return 2
        }
        return await HTTPServer(application: application, configuration: configuration).runUntilTerminated()
    }

    private static func writeStandardError(_ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
    }
}
