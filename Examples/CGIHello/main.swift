// The smallest Sluice application, run as a CGI program.
//
// Build the fast-starting binary (no shared libraries to load; see Docs/cgi.md):
//     swift build -c release --product CGIHello -Xswiftc -static-executable
// and point a cgi-bin or ScriptAlias at .build/release/CGIHello.

import Glibc
import Sluice
import SluiceCGI

let hello = App { request in
    .text("Hello from \(request.path)\n")
}

exit(await CGI.run(hello))
