// CGIHello with Foundation imported and used once: the cost a toolkit module that needed
// Foundation would put on every CGI program (Benchmarks/Toolkit/run.sh).

import Foundation
import Sluice
import SluiceCGI

CGI.main(App { request in .text("Hello from \(request.path) \(Date.distantPast.timeIntervalSince1970 < 0 ? "" : "!")\n") })
