// The probe served standalone over HTTP: every request answered with what the app saw.
//
// Flags: HTTPServerConfiguration's (`probe --help` lists them), plus --fail-startup (startup()
// throws) and --shutdown-marker PATH (shutdown() creates PATH). Spec/probe.md says what
// requests can ask of it and what it answers.

import Glibc
import SluiceHTTP
import SluiceProbe

var arguments = Array(CommandLine.arguments.dropFirst())
let failsStartup = arguments.contains("--fail-startup")
arguments.removeAll { $0 == "--fail-startup" }
var shutdownMarker: String?
if let index = arguments.firstIndex(of: "--shutdown-marker"), index + 1 < arguments.count {
    shutdownMarker = arguments[index + 1]
    arguments.removeSubrange(index...(index + 1))
}

let probe = Probe(failsStartup: failsStartup, shutdownMarker: shutdownMarker)
exit(await HTTPServer.runFromCommandLine(probe.app, arguments: arguments))
