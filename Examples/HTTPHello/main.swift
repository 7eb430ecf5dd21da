// The smallest Sluice application, served standalone over HTTP/1.1.
//
//     swift run -c release HTTPHello --host :: --port 8080
//
// Flags: run with --help (HTTPServerConfiguration.usage). SIGTERM or SIGINT shuts it
// down gracefully.

import Glibc
import Sluice
import SluiceHTTP

let hello = App { request in
    .text("Hello from \(request.path)\n")
}

exit(await HTTPServer.runFromCommandLine(hello))
