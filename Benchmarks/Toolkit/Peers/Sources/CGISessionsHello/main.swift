// CGIHello behind the Sessions middleware, signing a session: what swift-crypto adds to a
// CGI program's start-up (Benchmarks/Toolkit/run.sh).

import Sluice
import SluiceCGI
import SluiceSessions
import SluiceToolkit

var router = Router()
router.get("/hello") { request in
    request.session["seen"] = "1"
    return .text("Hello from \(request.path)\n")
}
CGI.main(router.wrapped(by: Sessions(keys: [SessionKey([UInt8](repeating: 7, count: 32))]).middleware))
