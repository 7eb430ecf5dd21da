// The answer to meta-variables a request cannot be built from.

import Sluice
public import SluiceGateway

extension Rejection {
    /// A meta-variable the request cannot be built without is missing (500: the server is
    /// misconfigured), malformed, or gives a path no application may be handed (400) (Spec
    /// CGI-1, CGI-5, REQ-15).
    public init(_ error: MetaVariableError) {
        switch error {
        case .missing: self.init(status: .internalServerError, reason: error.description)
        case .invalid, .unsafePath: self.init(status: .badRequest, reason: error.description)
        }
    }
}
