// The notes example: HTTP on 127.0.0.1:8080 by default, or CGI, FastCGI, systemd through
// serve(app) (Docs/running.md).
//
// Flags: serve's (`notes --help` lists them), plus --database PATH (default notes.sqlite3 in
// the working directory) and --title TEXT, taken out before serve sees the rest.
//
//   curl -X POST localhost:8080/users -d '{"name": "ada"}'             # → {"token": ...}
//   curl -X POST localhost:8080/notes -H 'Authorization: Bearer TOKEN' -d '{"title": "hi"}'
//   curl localhost:8080/notes -H 'Authorization: Bearer TOKEN'

import NotesApp
import Sluice
import SluiceServe

var arguments = Array(CommandLine.arguments.dropFirst())

/// Removes `--name VALUE` from `arguments` and returns VALUE.
func takeOption(_ name: String, from arguments: inout [String]) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    defer { arguments.removeSubrange(index...(index + 1)) }
    return arguments[index + 1]
}

let configuration = NotesConfiguration(
    databasePath: takeOption("--database", from: &arguments) ?? "notes.sqlite3",
    title: takeOption("--title", from: &arguments) ?? "Notes"
)
let notes = makeNotesApp(configuration)
let app = App(startup: notes.startup, shutdown: notes.shutdown) { request in try await notes.respond(to: request) }
serve(app, arguments: arguments)
