// Telling a CGI request from a program started by hand or by a process manager (Spec CGI-13).

import Sluice
import SluiceCGIWire

extension CGI {
    /// The meta-variables a CGI server sets for a request and a shell or a process manager
    /// does not (RFC 3875 section 4.1). One is enough: h2o's CGI handler sets no
    /// `GATEWAY_INTERFACE`, and a server that forgets `REQUEST_METHOD` still means a request,
    /// which is answered 500 (Spec CGI-1) rather than left waiting.
    public static let requestVariableNames = [
        "GATEWAY_INTERFACE", "REQUEST_METHOD", "SERVER_PROTOCOL", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "REQUEST_URI",
    ]

    /// Whether `environment` describes a CGI request: one of ``requestVariableNames`` is in it,
    /// even empty.
    static func isRequest(_ environment: MetaVariables) -> Bool {
        requestVariableNames.contains(where: environment.contains)
    }
}
