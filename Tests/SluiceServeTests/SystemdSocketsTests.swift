// Reading LISTEN_FDS, LISTEN_PID and LISTEN_FDNAMES as sd_listen_fds_with_names(3) does.

import SluiceSystemd
import Testing

@Suite("The sockets systemd passes")
struct SystemdSocketsTests {
    static func sockets(_ variables: [String: String], pid: Int32 = 42) throws(SystemdSockets.Failure) -> SystemdSockets {
        try SystemdSockets(environment: { variables[$0] }, pid: pid)
    }

    @Test("descriptors from 3, each with its name; `unknown` without LISTEN_FDNAMES")
    func names() throws {
        let named = try Self.sockets(["LISTEN_PID": "42", "LISTEN_FDS": "3", "LISTEN_FDNAMES": "web:admin:web"])
        #expect(named.sockets.map(\.descriptor) == [3, 4, 5])
        #expect(named.sockets.map(\.name) == ["web", "admin", "web"])
        #expect(try named.named("web").map(\.descriptor) == [3, 5])
        #expect(try named.named(nil).count == 3)
        #expect(throws: SystemdSockets.Failure.noneNamed("api", names: ["web", "admin", "web"])) { try named.named("api") }
        let unnamed = try Self.sockets(["LISTEN_PID": "42", "LISTEN_FDS": "2"])
        #expect(unnamed.sockets.map(\.name) == ["unknown", "unknown"])
    }

    @Test("another process's sockets, none, or a count that does not parse: no sockets")
    func notOurs() {
        for variables in [
            ["LISTEN_PID": "41", "LISTEN_FDS": "1"], ["LISTEN_FDS": "1"], ["LISTEN_PID": "42", "LISTEN_FDS": "0"],
            ["LISTEN_PID": "42", "LISTEN_FDS": "two"], ["LISTEN_PID": "42"],
        ] {
            #expect(throws: SystemdSockets.Failure.noneFor(pid: 42), "\(variables)") { try Self.sockets(variables) }
        }
    }

    @Test("names that disagree with the count are an error, as sd_listen_fds_with_names says (an empty name counts)")
    func namesDisagree() throws {
        #expect(throws: SystemdSockets.Failure.namesDisagree(names: 1, sockets: 2)) {
            try Self.sockets(["LISTEN_PID": "42", "LISTEN_FDS": "2", "LISTEN_FDNAMES": "web"])
        }
        #expect(try Self.sockets(["LISTEN_PID": "42", "LISTEN_FDS": "2", "LISTEN_FDNAMES": "web:"]).sockets.map(\.name) == ["web", ""])
    }
}
