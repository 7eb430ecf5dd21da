// The battery (BatteryApp) served standalone, for SluiceHTTPTests to run as a process.
//
// Flags: HTTPServerConfiguration's (see HTTPServerConfiguration.usage), plus
// --fail-startup (startup() throws) and --shutdown-marker PATH (shutdown() creates PATH).

import BatteryApp
import Glibc
import SluiceHTTP

var arguments = Array(CommandLine.arguments.dropFirst())
let failsStartup = arguments.contains("--fail-startup")
arguments.removeAll { $0 == "--fail-startup" }
var shutdownMarker: String?
if let index = arguments.firstIndex(of: "--shutdown-marker"), index + 1 < arguments.count {
    shutdownMarker = arguments[index + 1]
    arguments.removeSubrange(index...(index + 1))
}

exit(await HTTPServer.runFromCommandLine(Battery(failsStartup: failsStartup, shutdownMarker: shutdownMarker), arguments: arguments))
