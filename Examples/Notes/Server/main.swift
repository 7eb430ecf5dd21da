// The notes example served standalone over HTTP.
//
// Flags: HTTPServerConfiguration's (`notes --help` lists them), plus --database PATH (default
// notes.sqlite3 in the working directory) and --title TEXT.
//
//   curl -X POST localhost:8080/users -d '{"name": "ada"}'             # → {"token": ...}
//   curl -X POST localhost:8080/notes -H 'Authorization: Bearer TOKEN' -d '{"title": "hi"}'
//   curl localhost:8080/notes -H 'Authorization: Bearer TOKEN'

import Glibc
import NotesApp
import Sluice
import SluiceHTTP

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
exit(await HTTPServer.runFromCommandLine(app, arguments: arguments))
