// The smallest Sluice application. One binary: HTTP on 127.0.0.1:8080 when run by hand,
// a CGI program under a web server's cgi-bin, a FastCGI responder behind nginx
// (--fastcgi ADDRESS, or a socket on descriptor 0), systemd socket activation.
//
//     swift run hello                    # http://127.0.0.1:8080/
//     swift run hello -- --help          # every flag and environment variable
//
// See Docs/running.md.

import Sluice
import SluiceServe

let hello = App { request in
    .text("Hello from \(request.path)\n")
}

serve(hello)
