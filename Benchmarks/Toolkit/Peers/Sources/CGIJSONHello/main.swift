// CGIHello answered with JSON by SluiceJSON: what Foundation's coders add to a CGI program's
// start-up (Benchmarks/Toolkit/run.sh).

import Sluice
import SluiceCGI
import SluiceJSON
import SluiceToolkit

var router = Router()
router.get("/hello") { request in try .json(["greeting": "Hello from \(request.path)"]) }
CGI.main(router)
