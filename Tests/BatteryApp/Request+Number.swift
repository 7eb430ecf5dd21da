// Numbers in the query string, the battery's only parameters.

import Sluice

extension Request {
    /// The value of the first `name=value` pair in the query that is a number, or `fallback`.
    func number(_ name: String, default fallback: Int) -> Int {
        for pair in queryString.split(separator: "&") where pair.hasPrefix(name + "=") {
            if let value = Int(pair.dropFirst(name.count + 1)) { return value }
        }
        return fallback
    }
}
