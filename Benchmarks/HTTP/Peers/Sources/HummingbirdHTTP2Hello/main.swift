// Hello on Hummingbird 2's HTTP/2 server, the main peer.
//
//     HummingbirdHTTP2Hello PORT tls CERTIFICATE KEY    # HTTP/2 and HTTP/1.1 by ALPN
//     HummingbirdHTTP2Hello PORT h2c                    # cleartext HTTP/2 by prior knowledge

import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import NIOSSL

let arguments = Array(CommandLine.arguments.dropFirst())
let port = arguments.first.flatMap { Int($0) } ?? 8443
let router = Router()
router.get("**") { request, _ -> String in
    "Hello from \(request.uri.path)\n"
}
let server: HTTPServerBuilder
if arguments.count >= 4, arguments[1] == "tls" {
    let tls = TLSConfiguration.makeServerConfiguration(
        certificateChain: try NIOSSLCertificate.fromPEMFile(arguments[2]).map { .certificate($0) },
        privateKey: .privateKey(try NIOSSLPrivateKey(file: arguments[3], format: .pem))
    )
    server = try .http2Upgrade(tlsConfiguration: tls)
} else {
    server = .plaintextHTTP2()
}
let app = Application(router: router, server: server, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
