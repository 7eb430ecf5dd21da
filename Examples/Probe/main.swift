// The probe: every request answered with what the app saw. One binary, like every
// serve(app) program: HTTP on 127.0.0.1:8080 by default, CGI, FastCGI, systemd (Docs/running.md).
//
// Flags: serve's (`probe --help` lists them), plus --fail-startup (startup() throws) and
// --shutdown-marker PATH (shutdown() creates PATH), taken out before serve sees the rest.
// Spec/probe.md says what requests can ask of it and what it answers.

import SluiceProbe
import SluiceServe

var arguments = Array(CommandLine.arguments.dropFirst())
let failsStartup = arguments.contains("--fail-startup")
arguments.removeAll { $0 == "--fail-startup" }
var shutdownMarker: String?
if let index = arguments.firstIndex(of: "--shutdown-marker"), index + 1 < arguments.count {
    shutdownMarker = arguments[index + 1]
    arguments.removeSubrange(index...(index + 1))
}

let probe = Probe(failsStartup: failsStartup, shutdownMarker: shutdownMarker)
serve(probe.app, arguments: arguments)
