// The battery (BatteryApp) as a FastCGI responder, for SluiceFastCGITests to run behind real
// front servers and to talk to with raw FastCGI records.
//
// Arguments: serve's (--fastcgi, --mount, --workers, ...; Docs/running.md). Started with a
// listening socket on descriptor 0 (spawn-fcgi, lighttpd) it is FastCGI without flags.

import BatteryApp
import Logging
import Sluice
import SluiceServe

/// Logs the adapter's observer events (`observer: worker busy`, `observer: refused 431`), so
/// that tests can count them in the process's standard error.
struct LoggingObserver: ServerObserver {
    func workerBecameBusy() { Logger(label: "battery").info("observer: worker busy") }
    func workerBecameIdle() { Logger(label: "battery").info("observer: worker idle") }
    func requestRefused(status: Response.Status) { Logger(label: "battery").info("observer: refused \(status.code)") }
}

serve(Battery(), observer: LoggingObserver())
