// The built CGI programs, run as a server runs them: a process with a crafted environment.

import Foundation
import Testing

@Suite("CGI programs as processes")
struct ProgramTests {
    static let request = [
        "GATEWAY_INTERFACE": "CGI/1.1", "REQUEST_METHOD": "POST", "SCRIPT_NAME": "/app", "PATH_INFO": "/echo",
        "REQUEST_URI": "/app/echo?a=1", "QUERY_STRING": "a=1", "SERVER_NAME": "localhost", "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1", "CONTENT_LENGTH": "5",
    ]

    @Test("[CGI-9] [CGI-10] a request in the environment and on stdin is answered on stdout, exit status 0")
    func answersOneRequest() throws {
        let run = try BuiltProgram("CGIBattery").run(environment: Self.request, input: Array("hello and more".utf8))
        #expect(run.exitStatus == 0)
        #expect(run.output.hasPrefix("Status: 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"))
        #expect(run.output.contains("\nbodyLength: 5\n"))
        #expect(run.output.contains("\npathInfo: /echo\n"))
    }

    @Test("[CGI-7] [SEC-1] httpoxy: HTTP_PROXY is removed from the process environment; Proxy stays a header")
    func httpoxy() throws {
        var environment = Self.request
        environment["HTTP_PROXY"] = "http://attacker.invalid:8080"
        let run = try BuiltProgram("CGIBattery").run(environment: environment, input: Array("hello".utf8))
        #expect(run.output.contains("\nenvironment HTTP_PROXY: absent\n"), "\(run.output)")
        #expect(run.output.contains("\nheader: Proxy: http://attacker.invalid:8080\n"), "\(run.output)")
    }

    @Test("not started as CGI: a usage message on stderr, nothing on stdout, exit status 2")
    func startedByHand() throws {
        let run = try BuiltProgram("CGIHello").run(environment: ["PATH": "/usr/bin:/bin"])
        #expect(run.exitStatus == 2)
        #expect(run.output.isEmpty)
        #expect(run.errors.contains("This is a CGI program"))
    }

    @Test("[ERR-1] an application that throws: 500 on stdout, the error on stderr, exit status 0")
    func applicationThrows() throws {
        var environment = Self.request
        environment["PATH_INFO"] = "/fail"
        environment["REQUEST_URI"] = "/app/fail"
        let run = try BuiltProgram("CGIBattery").run(environment: environment, input: Array("hello".utf8))
        #expect(run.exitStatus == 0)
        #expect(run.output.hasPrefix("Status: 500 Internal Server Error\r\n"))
        #expect(run.errors.contains("BatteryFailure"))
    }

    @Test("the CGI path links no Foundation: the hello program's shared libraries")
    func noFoundation() throws {
        let ldd = Process()
        ldd.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
        ldd.arguments = [try BuiltProgram("CGIHello").path]
        let output = Pipe()
        ldd.standardOutput = output
        try ldd.run()
        let libraries = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        ldd.waitUntilExit()
        #expect(libraries.contains("libswiftCore"), "\(libraries)")
        #expect(!libraries.contains("Foundation"), "\(libraries)")
    }
}
