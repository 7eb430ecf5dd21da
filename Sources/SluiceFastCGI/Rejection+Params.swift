// The FastCGI adapter's own reason to answer a request itself.

import Sluice

extension Rejection {
    /// The params are larger than the limit (431: they are mostly the client's header fields; Spec SEC-3).
    init(paramsLength: Int, limit: Int) {
        self.init(status: 431, reason: "the params take \(paramsLength) bytes, over the limit of \(limit)")
    }

    /// There are more params than the limit (431, Spec FCGI-6).
    init(paramsCount: Int, limit: Int) {
        self.init(status: 431, reason: "\(paramsCount) params, over the limit of \(limit)")
    }

    /// The front server asked for a role other than responder (500, Spec FCGI-2): libfcgi
    /// accepts every role, so the adapter refuses it with the only answer it can give.
    init(role: String) {
        self.init(status: .internalServerError, reason: "FCGI_ROLE \(role) is not supported; Sluice answers as a responder only")
    }
}
