// One of the compared applications served through serve(app), for Benchmarks/Toolkit/run.sh to
// load with wrk behind the same adapter (SluiceHTTP):
//     BenchServer hello|toolkit|hummingbird --http 127.0.0.1:PORT

import BenchApps
import Sluice
import SluiceServe

let arguments = Array(CommandLine.arguments.dropFirst())
let application: any Application =
    switch arguments.first {
    case "toolkit": toolkitRouter
    case "hummingbird": hummingbirdEcho
    default: plainHello
    }
serve(application, arguments: Array(arguments.dropFirst()))
