// CGIHello that parses a small multipart body with vapor/multipart-kit: what multipart-kit
// (SwiftNIO, Foundation) would add to a CGI program's start-up (Benchmarks/Toolkit/run.sh).

import MultipartKit
import Sluice
import SluiceCGI

CGI.main(
    App { request in
        let parser = MultipartParser(boundary: "b")
        var names: [String] = []
        parser.onHeader = { name, _ in names.append(name) }
        try parser.execute("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--b--\r\n")
        return .text("Hello from \(request.path) \(names.count)\n")
    })
