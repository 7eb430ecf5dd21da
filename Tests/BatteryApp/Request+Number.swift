// Numbers in the query string, the battery's only parameters.

import Sluice
import SluiceToolkit

extension Request {
    /// The value of the first `name` field in the query (the toolkit's form parsing), when it
    /// is a number; else `fallback`.
    func number(_ name: String, default fallback: Int) -> Int {
        (try? query())?[name].flatMap { Int($0) } ?? fallback
    }
}
