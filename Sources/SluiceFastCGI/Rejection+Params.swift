// The FastCGI adapter's own reason to answer a request itself.

import Sluice
import SluiceGateway

extension Rejection {
    /// The params are larger than the limit (431: they are mostly the client's header fields; Spec SEC-3).
    init(paramsLength: Int, limit: Int) {
        self.init(status: 431, reason: "the params take \(paramsLength) bytes, over the limit of \(limit)")
    }

    /// There are more params than the limit (431, Spec FCGI-6).
    init(paramsCount: Int, limit: Int) {
        self.init(status: 431, reason: "\(paramsCount) params, over the limit of \(limit)")
    }
}
