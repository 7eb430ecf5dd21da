// The battery (BatteryApp) as a CGI program, for SluiceCGITests to run under real servers.

import BatteryApp
import SluiceCGI

CGI.main(Battery())
