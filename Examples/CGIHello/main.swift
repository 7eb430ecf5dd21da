// The smallest Sluice application, run as a CGI program.
//
// Build the fast-starting binary (no shared libraries to load; see Docs/cgi.md):
//     swift build -c release --product CGIHello -Xswiftc -static-executable
// and point a cgi-bin or ScriptAlias at .build/release/CGIHello.

import Sluice
import SluiceCGI

CGI.main(App { request in
    .text("Hello from \(request.path)\n")
})
