// The CGI adapter's own reason to answer a request itself.

import Sluice
import SluiceGateway

extension Rejection {
    /// The application could not start (500, Spec LIFE-1).
    init(startupFailure error: any Error) {
        self.init(status: .internalServerError, reason: "the application failed to start: \(error)")
    }
}
