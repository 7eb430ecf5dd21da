import GatewayTestSupport
import Sluice
import SluiceGateway
import Synchronization
import Testing

@Suite("Mount")
struct MountTests {
    /// An application that answers with the scriptName and pathInfo it saw.
    static let echoPaths = App { request in .text("\(request.scriptName)|\(request.pathInfo)|\(request.target)") }

    static func path(_ path: String, through app: some Application) async throws -> String {
        let writer = RecordingWriter()
        _ = await Gateway.respond(to: Request(method: .get, target: path, pathInfo: RequestTarget(path).decodedPath), with: app, through: writer)
        return writer.text
    }

    @Test("[MOUNT-1] the longest prefix wins, on whole segments only")
    func longestPrefixOnSegments() async throws {
        let api = App { _ in .text("api") }
        let v2 = App { _ in .text("v2") }
        let mount = Mount(["/api": api, "/api/v2": v2])
        #expect(try await Self.path("/api", through: mount) == "api")
        #expect(try await Self.path("/api/users", through: mount) == "api")
        #expect(try await Self.path("/api/v2/x", through: mount) == "v2")
        #expect(try await Self.path("/apix", through: mount) == "404 Not Found\n")
    }

    @Test("[MOUNT-2] the prefix moves from pathInfo to scriptName; the target stays")
    func movesPrefix() async throws {
        let mount = Mount(["/api": Self.echoPaths])
        #expect(try await Self.path("/api/users?x=1", through: mount) == "/api|/users|/api/users?x=1")
        #expect(try await Self.path("/api", through: mount) == "/api||/api")
        let nested = Mount(["/outer": Mount(["/inner": Self.echoPaths])])
        #expect(try await Self.path("/outer/inner/leaf", through: nested) == "/outer/inner|/leaf|/outer/inner/leaf")
    }

    @Test("[MOUNT-3] prefixes are normalised; the root prefix matches everything")
    func normalisedPrefixes() async throws {
        let mount = Mount(["api/": Self.echoPaths])
        #expect(try await Self.path("/api/x", through: mount) == "/api|/x|/api/x")
        let root = Mount(["/": Self.echoPaths])
        #expect(try await Self.path("/anything", through: root) == "|/anything|/anything")
    }

    @Test("[MOUNT-1] [MOUNT-3] prefixes match and normalise on bytes: a combining mark after a / leaves the / a segment boundary (found by fuzzing)")
    func combiningMarks() async throws {
        // As Characters `/\u{5C5}` is one that is not `/`: matching on them missed the mount.
        #expect(Mount.split("/app/\u{5C5}x", at: "/app")! == (scriptName: "/app", pathInfo: "/\u{5C5}x"))
        #expect(Mount.split("/app\u{301}", at: "/app") == nil)
        let mount = Mount(["//\u{5C5}//": Self.echoPaths])
        #expect(try await Self.path("/%D7%85/x", through: mount) == "/\u{5C5}|/x|/%D7%85/x")
    }

    @Test("[MOUNT-4] start-up reaches every mounted app, shut-down runs in reverse")
    func forwardsLifecycle() async throws {
        let order = Mutex<[String]>([])
        func app(_ name: String) -> App {
            App(
                startup: { order.withLock { $0.append("start \(name)") } },
                shutdown: { order.withLock { $0.append("stop \(name)") } }
            ) { _ in .text(name) }
        }
        let mount = Mount(["/a": app("a"), "/b/c": app("bc")], fallback: app("fallback"))
        try await mount.startup()
        await mount.shutdown()
        #expect(order.withLock { $0 } == ["start bc", "start a", "start fallback", "stop fallback", "stop a", "stop bc"])
        #expect(try await Self.path("/zzz", through: mount) == "fallback")
    }
}
