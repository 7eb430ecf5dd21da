// The battery (BatteryApp) served standalone, for SluiceHTTPTests to run as a process.
//
// Flags: serve's (Docs/running.md; the tests pass --http), plus
// --fail-startup (startup() throws) and --shutdown-marker PATH (shutdown() creates PATH).

import BatteryApp
import SluiceServe

var arguments = Array(CommandLine.arguments.dropFirst())
let failsStartup = arguments.contains("--fail-startup")
arguments.removeAll { $0 == "--fail-startup" }
var shutdownMarker: String?
if let index = arguments.firstIndex(of: "--shutdown-marker"), index + 1 < arguments.count {
    shutdownMarker = arguments[index + 1]
    arguments.removeSubrange(index...(index + 1))
}

serve(Battery(failsStartup: failsStartup, shutdownMarker: shutdownMarker), arguments: arguments)
