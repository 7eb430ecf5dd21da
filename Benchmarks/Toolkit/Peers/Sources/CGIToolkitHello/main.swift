// CGIHello answered through a toolkit Router among 100 routes: what SluiceToolkit adds to a
// CGI program's start-up (Benchmarks/Toolkit/run.sh).

import Sluice
import SluiceCGI
import SluiceToolkit

var router = Router()
for resource in 0..<10 {
    for suffix in ["", "/:id", "/:id/children", "/:id/children/:child", "/search/recent"] {
        router.get("/resource\(resource)\(suffix)") { _ in .text("other\n") }
    }
}
router.get("/hello") { request in .text("Hello from \(request.path)\n") }
CGI.main(router)
