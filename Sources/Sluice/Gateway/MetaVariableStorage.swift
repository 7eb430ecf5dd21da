// Request.metaVariables as a request holds it: gathered from a gateway's variables only when read.

/// ``Request/metaVariables`` as a request holds it: a dictionary, or the variables a CGI or
/// FastCGI server passed, from which the dictionary is gathered each time it is read.
///
/// Hashing every leftover variable into a dictionary cost a FastCGI responder time on every
/// request, and few applications read them; a request built from meta-variables keeps the list
/// it was built from (which costs nothing: the list is shared, not copied) instead.
enum MetaVariableStorage: Sendable {
    /// Variables set directly.
    case dictionary([String: String])
    /// The variables a server passed; the leftovers (``SortedVariables/isLeftover(_:)``) are
    /// the dictionary, the last value passed for a name winning.
    case passed(MetaVariables)

    /// The variables as a dictionary.
    var dictionary: [String: String] {
        switch self {
        case let .dictionary(dictionary):
            return dictionary
        case let .passed(variables):
            var leftovers: [String: String] = [:]
            variables.forEach { name, value in
                if SortedVariables.isLeftover(name) {
                    leftovers[String(decoding: name, as: UTF8.self)] = String(decoding: value, as: UTF8.self)
                }
            }
            return leftovers
        }
    }

    /// Whether a front server passed the request: it was built from meta-variables, or holds
    /// some. Only then can a request have been re-run for another path (Spec REQ-3).
    var isFromFrontServer: Bool {
        switch self {
        case let .dictionary(dictionary): !dictionary.isEmpty
        case .passed: true
        }
    }
}
