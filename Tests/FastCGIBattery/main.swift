// The battery (BatteryApp) as a FastCGI responder, for SluiceFastCGITests to run behind real
// front servers and to talk to with raw FastCGI records.
//
// Arguments: FastCGIConfiguration's options (--listen, --mount, --workers, ...).

import BatteryApp
import SluiceFastCGI

FastCGI.main(Battery(), commandLine: CommandLine.arguments.dropFirst())
