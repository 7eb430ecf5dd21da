// The flags that keep a long-running server healthy: the request timeout and worker recycling.

import ArgumentParser

/// How long an application may take, and how often a worker process is replaced
/// (Docs/running.md, "Keeping workers healthy").
struct OperationOptions: ParsableArguments {
    @Option(
        help: help("Longest an application may take over a request; 503 and its task cancelled after (default: no limit).", "SLUICE_REQUEST_TIMEOUT", "seconds")
    )
    var requestTimeout: Double?

    @Option(help: help("FastCGI: a worker process exits gracefully after N requests and a fresh one replaces it (default: never).", "SLUICE_MAX_REQUESTS", "n"))
    var maxRequests: Int?

    @Option(help: help("FastCGI: up to N requests added at random to --max-requests per worker process (default 0).", "SLUICE_MAX_REQUESTS_JITTER", "n"))
    var maxRequestsJitter: Int?
}
