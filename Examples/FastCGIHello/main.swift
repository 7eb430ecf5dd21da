// The smallest Sluice application, run as a FastCGI responder.
//
//     swift build -c release --product FastCGIHello
//     .build/release/FastCGIHello --listen /run/hello.sock --socket-mode 666
// then point nginx's fastcgi_pass at unix:/run/hello.sock (Docs/nginx.md).
// Synchronous top-level code, so FastCGI.main may fork worker processes (--processes N).

import Sluice
import SluiceFastCGI

let hello = App { request in
    .text("Hello from \(request.path)\n")
}

FastCGI.main(hello, commandLine: CommandLine.arguments.dropFirst())
