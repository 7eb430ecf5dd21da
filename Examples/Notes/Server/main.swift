// The notes example: HTTP on 127.0.0.1:8080 by default, or CGI, FastCGI, systemd through
// serve(app) (Docs/running.md, Docs/building-an-application.md).
//
// Flags: serve's (`notes --help` lists them), plus --database PATH (default notes.sqlite3 in
// the working directory) and --title TEXT, taken out before serve sees the rest. Sessions are
// signed with NOTES_SESSION_KEY (base64 of 32 bytes or more), or a key that lasts as long as
// the process.
//
//   curl -X POST localhost:8080/users -H 'Content-Type: application/json' -d '{"name": "ada"}'   # → {"token": ...}
//   curl -X POST localhost:8080/notes -H 'Authorization: Bearer TOKEN' -H 'Content-Type: application/json' -d '{"title": "hi"}'
//   curl -X PUT localhost:8080/notes/1/attachment -H 'Authorization: Bearer TOKEN' -F file=@photo.jpg

import NotesApp
import SluiceServe
import SluiceSessions

#if canImport(Glibc)
import Glibc
#endif

var arguments = Array(CommandLine.arguments.dropFirst())

/// Removes `--name VALUE` from `arguments` and returns VALUE.
@MainActor func takeOption(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    defer { arguments.removeSubrange(index...(index + 1)) }
    return arguments[index + 1]
}

let key = getenv("NOTES_SESSION_KEY").flatMap { SessionKey(base64: String(cString: $0)) }
let configuration = NotesConfiguration(
    databasePath: takeOption("--database") ?? "notes.sqlite3", title: takeOption("--title") ?? "Notes", sessionKey: key ?? .random())
serve(makeNotesApp(configuration), arguments: arguments)
