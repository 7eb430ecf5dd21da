// The smallest Sluice application, run as a CGI program.
//
// Build the fast-starting binary (Docs/cgi.md, "Build the fast binary", which also orders the
// start-up code; Benchmarks/CGI/run.sh builds it that way):
//     swift build -c release --product CGIHello -Xswiftc -static-executable \
//         -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors
// and point a cgi-bin or ScriptAlias at .build/release/CGIHello.

import Sluice
import SluiceCGI

CGI.main(
    App { request in
        .text("Hello from \(request.path)\n")
    })
