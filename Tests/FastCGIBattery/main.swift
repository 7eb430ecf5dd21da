// The battery (BatteryApp) as a FastCGI responder, for SluiceFastCGITests to run behind real
// front servers and to talk to with raw FastCGI records.
//
// Arguments: serve's (--fastcgi, --mount, --workers, ...; Docs/running.md). Started with a
// listening socket on descriptor 0 (spawn-fcgi, lighttpd) it is FastCGI without flags.

import BatteryApp
import SluiceServe

serve(Battery())
