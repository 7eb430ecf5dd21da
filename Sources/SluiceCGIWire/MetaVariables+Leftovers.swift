// The meta-variables a request keeps for Request.metaVariables: the ones no field holds.

import Sluice

extension MetaVariables: PassedMetaVariables {
    /// The leftovers (``SortedVariables/isLeftover(_:)``) as a dictionary, the last value
    /// passed for a name winning.
    package var leftovers: [String: String] {
        var leftovers: [String: String] = [:]
        forEach { name, value in
            if SortedVariables.isLeftover(name) {
                leftovers[String(decoding: name, as: UTF8.self)] = String(decoding: value, as: UTF8.self)
            }
        }
        return leftovers
    }
}
