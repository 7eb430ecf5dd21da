// The suites that load the machine, run one at a time.

import Testing

/// The tests that put real load on the machine — wrk, hundreds of connections, a corpus sent
/// at once — run one after another, and so do the lifecycle tests, which start servers and
/// signal them against a clock: one's load must not make another's server or client miss its
/// own timing on a 2-core machine. Other suites still run beside them.
@Suite("Under load", .serialized)
struct UnderLoad {}
