// Docs/scaling.md, tested: three application hosts as network namespaces behind one nginx;
// under wrk, one host is killed, then every host is redeployed in turn (Spec LIFE-5).

import Foundation
import Glibc
import IntegrationSupport
import Testing

@Suite("Scale out: three FastCGI hosts behind nginx", .serialized, .timeLimit(.minutes(5)))
struct ScaleOutTests {
    @Test("a host killed under load and a rolling deploy: no request fails", .requires(.nginx, .wrk, .ip))
    func failoverAndRollingDeploy() async throws {
        guard getuid() == 0 else {
            if FrontServer.missingProgramsFailTheRun { throw HarnessError("CI=true: the scale-out test needs root (network namespaces)") }
            try Test.cancel("needs root to create network namespaces")
        }
        let directory = try TemporaryDirectory(label: "scale-out")
        let lab = try NamespaceLab(hosts: 3)
        defer { lab.remove() }
        var hosts = try await (0..<3).asyncMap { try await AppHost.start(lab.hosts[$0], in: directory) }
        let port = try LoopbackPort.unused()
        let nginx = try await ScaleOutNginx.start(port: port, upstreams: lab.hosts.map(\.address), in: directory)
        defer { nginx.stop() }
        let url = "http://127.0.0.1:\(port)/app/sleep?ms=5"

        // 1. A host dies abruptly: every request it held, and every one sent to it after, is
        //    retried on another (idempotent GETs; fastcgi_next_upstream error timeout).
        let failover = try WrkRun(url: url, seconds: 8, in: directory, name: "wrk-failover")
        try await Task.sleep(for: .seconds(3))
        let killed = ContinuousClock.now
        kill(hosts[1].process.pid, SIGKILL)
        _ = try await hosts[1].process.waitForExit(timeout: .seconds(5))
        let failoverFigures = try await failover.finish()
        // The host comes back; nginx tries it again after fail_timeout (10 s).
        hosts[1] = try await AppHost.start(lab.hosts[1], in: directory)
        let back = try await Self.timeUntilServed(by: hosts[1], through: port)
        print(
            "scale-out, one of three hosts killed under load: \(failoverFigures); back in rotation \(Self.seconds(ContinuousClock.now - killed)) after the kill (\(Self.seconds(back)) after its restart)"
        )
        #expect(failoverFigures.requests > 100)
        #expect(failoverFigures.failed == 0, "\(failoverFigures.report)")

        // 2. The guide's rolling deploy, host by host: SIGTERM (graceful), start the new one,
        //    and go on once nginx sends it requests again. Restarting the next one earlier
        //    would leave nginx no live upstream: each restarted host refused connections
        //    during its restart, so nginx leaves it out for fail_timeout.
        let rolling = try WrkRun(url: url, seconds: 120, in: directory, name: "wrk-rolling")
        try await Task.sleep(for: .seconds(1))
        let started = ContinuousClock.now
        var backAfter: [String] = []
        for index in hosts.indices {
            #expect(hosts[index].process.stop() == .exited(code: 0))
            let restarted = ContinuousClock.now
            hosts[index] = try await AppHost.start(lab.hosts[index], in: directory)
            _ = try await Self.timeUntilServed(by: hosts[index], through: port)
            backAfter.append(Self.seconds(ContinuousClock.now - restarted))
        }
        let deployTime = ContinuousClock.now - started
        let rollingFigures = try await rolling.finish(interrupting: true)
        print(
            "scale-out, rolling deploy of three hosts in \(Self.seconds(deployTime)) under load (each back in rotation after \(backAfter.joined(separator: ", "))): \(rollingFigures)"
        )
        #expect(rollingFigures.requests > 100)
        #expect(rollingFigures.failed == 0, "\(rollingFigures.report)")
        for host in hosts { host.process.stop() }
    }

    /// How long until a request through nginx is answered by `host`'s process.
    static func timeUntilServed(by host: AppHost, through port: Int) async throws -> Duration {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .seconds(30) {
            if let response = try? await Curl.fetch("http://127.0.0.1:\(port)/app/pid"), response.text == "\(host.process.pid)\n" {
                return ContinuousClock.now - start
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError("host \(host.namespace.name) never served again")
    }

    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.2f s", Double(seconds) + Double(attoseconds) / 1e18)
    }
}

/// Network namespaces joined to this one by veth links: host `n` is `10.213.n.2`, and this
/// namespace (nginx's) is `10.213.n.1` on its link. Removed, with the links, by ``remove()``.
final class NamespaceLab: Sendable {
    struct Host: Sendable {
        let name: String
        let address: String
        let peerAddress: String
    }

    let hosts: [Host]

    init(hosts count: Int) throws {
        let tag = "sl\(getpid() % 100_000)"
        hosts = (1...count).map { Host(name: "\(tag)h\($0)", address: "10.213.\($0).2", peerAddress: "10.213.\($0).1") }
        do {
            for (index, host) in hosts.enumerated() {
                let outside = "\(tag)o\(index + 1)"
                let inside = "\(tag)i\(index + 1)"
                try Self.ip(["netns", "add", host.name])
                try Self.ip(["link", "add", outside, "type", "veth", "peer", "name", inside])
                try Self.ip(["link", "set", inside, "netns", host.name])
                try Self.ip(["addr", "add", "\(host.peerAddress)/24", "dev", outside])
                try Self.ip(["link", "set", outside, "up"])
                try Self.ip(["-n", host.name, "addr", "add", "\(host.address)/24", "dev", inside])
                try Self.ip(["-n", host.name, "link", "set", inside, "up"])
                try Self.ip(["-n", host.name, "link", "set", "lo", "up"])
            }
        } catch {
            remove()
            throw error
        }
    }

    /// Deletes the namespaces, which deletes their links too.
    func remove() {
        for host in hosts {
            try? Self.ip(["netns", "delete", host.name])
        }
    }

    static func ip(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: FrontServer.ip.executablePath ?? "/usr/sbin/ip")
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw HarnessError("ip \(arguments.joined(separator: " ")) failed: \(process.terminationStatus)") }
    }
}

/// The FastCGI battery in one namespace, on port 9000 of its address, accepting only nginx.
struct AppHost: Sendable {
    let namespace: NamespaceLab.Host
    let process: ManagedProcess

    static func start(_ namespace: NamespaceLab.Host, in directory: TemporaryDirectory) async throws -> AppHost {
        var environment = ManagedProcess.minimalEnvironment(home: directory.url)
        environment["FCGI_WEB_SERVER_ADDRS"] = namespace.peerAddress
        // `ip netns exec` execs the program: the pid is the battery's own.
        let process = try ManagedProcess(
            name: "app-\(namespace.name)", executable: "ip",
            arguments: [
                "netns", "exec", namespace.name, Battery.executablePath, "--fastcgi", "\(namespace.address):9000", "--mount", "/app", "--workers", "16",
            ],
            environment: environment, workingDirectory: directory.url
        )
        try await waitUntilListening(process, port: 9000)
        return AppHost(namespace: namespace, process: process)
    }

    /// Waits until `process` listens on TCP `port` in its own namespace, whose sockets its
    /// `/proc/PID/net/tcp` lists (this namespace's `/proc/net/tcp` does not).
    static func waitUntilListening(_ process: ManagedProcess, port: Int) async throws {
        let local = String(format: ":%04X", port)
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            let table = (try? String(contentsOfFile: "/proc/\(process.pid)/net/tcp", encoding: .utf8)) ?? ""
            let listening = table.split(separator: "\n").contains { line in
                let fields = line.split(separator: " ")
                return fields.count > 3 && fields[1].hasSuffix(local) && fields[3] == "0A"
            }
            if listening { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HarnessError("\(process.name) is not listening on port \(port)\n\(process.logReport())")
    }
}

/// nginx on 127.0.0.1 with an upstream of the hosts, configured as Docs/scaling.md shows.
enum ScaleOutNginx {
    static func start(port: Int, upstreams: [String], in directory: TemporaryDirectory) async throws -> ManagedProcess {
        let servers = upstreams.map { "server \($0):9000 max_fails=3 fail_timeout=10s;" }.joined(separator: "\n        ")
        let config = """
            user \(try WorkerUser.lookUp().name);
            worker_processes 1;
            daemon off;
            pid \(directory.path)/nginx.pid;
            error_log \(directory.path)/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path \(directory.path)/client_body;
                fastcgi_temp_path \(directory.path)/fastcgi;
                proxy_temp_path \(directory.path)/proxy;
                uwsgi_temp_path \(directory.path)/uwsgi;
                scgi_temp_path \(directory.path)/scgi;
                upstream sluice_app {
                    \(servers)
                    keepalive 16;
                }
                server {
                    listen 127.0.0.1:\(port);
                    location /app {
                        fastcgi_split_path_info ^(/app)(.*)$;
                        include /etc/nginx/fastcgi_params;
                        fastcgi_param PATH_INFO $fastcgi_path_info;
                        fastcgi_connect_timeout 1s;
                        fastcgi_read_timeout 10s;
                        fastcgi_keep_conn on;
                        fastcgi_next_upstream error timeout;
                        fastcgi_pass sluice_app;
                    }
                }
            }
            """
        let path = directory.appending("nginx-scale-out.conf").path
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        let nginx = try ManagedProcess(
            name: "nginx", executable: "nginx", arguments: ["-p", directory.path + "/", "-c", path, "-e", directory.appending("error.log").path],
            workingDirectory: directory.url
        )
        try await nginx.waitForPort(port: port)
        return nginx
    }
}

/// A bounded wrk run: 2 threads, 16 connections, latency recorded.
struct WrkRun {
    let process: ManagedProcess

    init(url: String, seconds: Int, in directory: TemporaryDirectory, name: String) throws {
        process = try ManagedProcess(
            name: name, executable: "wrk", arguments: ["-t2", "-c16", "-d\(seconds)s", "--latency", "--timeout", "5s", url],
            workingDirectory: directory.url
        )
    }

    /// Waits for the run to end (or ends it with SIGINT, which makes wrk report), and reads its report.
    func finish(interrupting: Bool = false) async throws -> WrkFigures {
        if interrupting { kill(process.pid, SIGINT) }
        _ = try await process.waitForExit(timeout: .seconds(60))
        return WrkFigures(String(decoding: try Data(contentsOf: process.standardOutputLog), as: UTF8.self))
    }
}

/// What wrk reported: requests completed, those that failed (non-2xx/3xx or socket errors),
/// and the latency percentiles.
struct WrkFigures: CustomStringConvertible {
    let report: String
    var requests = 0
    var failed = 0
    var latency: [String: String] = [:]

    init(_ report: String) {
        self.report = report
        for line in report.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            if line.contains("requests in"), let count = Int(words[0]) {
                requests = count
            } else if line.hasPrefix("Non-2xx or 3xx responses:"), let count = Int(words.last ?? "") {
                failed += count
            } else if line.hasPrefix("Socket errors:") {
                failed += line.split(separator: ",").compactMap { Int($0.split(separator: " ").last ?? "") }.reduce(0, +)
            } else if words.count == 2, ["50%", "99%"].contains(String(words[0])) {
                latency[String(words[0])] = String(words[1])
            } else if words.first == "Latency", words.count >= 4 {
                latency["max"] = String(words[3])
            }
        }
    }

    var description: String {
        "\(requests) requests, \(failed) failed, latency p50 \(latency["50%"] ?? "?"), p99 \(latency["99%"] ?? "?"), max \(latency["max"] ?? "?")"
    }
}

extension Sequence where Element: Sendable {
    func asyncMap<Result>(_ transform: (Element) async throws -> Result) async rethrows -> [Result] {
        var results: [Result] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
