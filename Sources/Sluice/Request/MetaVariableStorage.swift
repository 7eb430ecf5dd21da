// Request.metaVariables as a request holds it: gathered from a gateway's variables only when read.

/// ``Request/metaVariables`` as a request holds it: a dictionary, or the variables a CGI or
/// FastCGI server passed, from which the dictionary is gathered each time it is read.
///
/// Hashing every leftover variable into a dictionary cost a FastCGI responder time on every
/// request, and few applications read them; a request built from meta-variables keeps the list
/// it was built from (which costs nothing: the list is shared, not copied) instead.
package enum MetaVariableStorage: Sendable {
    /// Variables set directly.
    case dictionary([String: String])
    /// The variables a server passed, which gather their leftovers into the dictionary.
    case passed(any PassedMetaVariables)

    /// The variables as a dictionary.
    package var dictionary: [String: String] {
        switch self {
        case let .dictionary(dictionary): dictionary
        case let .passed(variables): variables.leftovers
        }
    }

    /// Whether a front server passed the request: it was built from meta-variables, or holds
    /// some. Only then can a request have been re-run for another path (Spec REQ-3).
    package var isFromFrontServer: Bool {
        switch self {
        case let .dictionary(dictionary): !dictionary.isEmpty
        case .passed: true
        }
    }
}

/// The variables a CGI or FastCGI server passed, as the server-side mapping (SluiceCGIWire)
/// keeps them in a request.
package protocol PassedMetaVariables: Sendable {
    /// The variables no field of ``Request`` holds, the last value passed for a name winning.
    var leftovers: [String: String] { get }
}
