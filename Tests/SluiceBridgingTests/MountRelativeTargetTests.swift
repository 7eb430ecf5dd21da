// The target a bridged framework routes on: below the mount, encoded as sent, never with `..`.

import HTTPTypes
import Sluice
import SluiceBridging
import Synchronization
import Testing

@Suite("The request-target below the mount")
struct MountRelativeTargetTests {
    /// A request as a server splits it: the decoded path of `target` at `mount` (Spec REQ-3, REQ-4).
    static func request(_ target: String, mountedAt mount: String = "") -> Request {
        let parsed = RequestTarget(target)
        let split = Mount.split(parsed.decodedPath, at: mount) ?? (scriptName: "", pathInfo: parsed.decodedPath)
        return Request(
            method: .get, target: target, scriptName: split.scriptName, pathInfo: split.pathInfo,
            queryString: String(parsed.query), headers: ["Host": "example.org"]
        )
    }

    @Test("[MOUNT-2] at the root the target is passed on as sent", arguments: ["/", "/todos/7?full=1", "/a%2Fb/c%20d", "//x"])
    func atTheRoot(target: String) {
        #expect(Self.request(target).mountRelativeTarget == target)
    }

    @Test(
        "[MOUNT-2] below a mount the prefix goes and the rest keeps its encoding",
        arguments: [
            ("/app/todos/7?full=1", "/todos/7?full=1"),
            ("/app/files/a%2Fb?x=%20", "/files/a%2Fb?x=%20"),
            ("/%61pp/x", "/x"),
            ("/app/caf%C3%A9", "/caf%C3%A9"),
            ("/app//double", "//double"),
        ])
    func belowAMount(target: String, expected: String) {
        #expect(Self.request(target, mountedAt: "/app").mountRelativeTarget == expected)
    }

    @Test("[MOUNT-2] the mount itself is /, with its query", arguments: [("/app", "/"), ("/app?x=1", "/?x=1"), ("/app/", "/")])
    func theMountItself(target: String, expected: String) {
        #expect(Self.request(target, mountedAt: "/app").mountRelativeTarget == expected)
    }

    @Test(
        "[REQ-4] dot segments never reach the framework: the path is pathInfo encoded anew",
        arguments: [
            ("/app/x/../y", "/app", "/y"),
            ("/app/./x", "/app", "/x"),
            ("/app/x/%2e%2E/y", "/app", "/y"),
            ("/x/../../etc/passwd", "", "/etc/passwd"),
            ("/app/../app/secret", "/app", "/secret"),
        ])
    func dotSegments(target: String, mount: String, expected: String) {
        let relative = Self.request(target, mountedAt: mount).mountRelativePath
        #expect(relative == expected)
        #expect(!relative.split(separator: "/").contains { $0 == ".." || $0 == "." })
    }

    @Test("[CGI-3] a rewritten request routes on what the front server passed, encoded")
    func rewrittenRequest() {
        let request = Request(method: .get, target: "/index.php?page=2", scriptName: "/app", pathInfo: "/a b/%/ü/x:@", queryString: "page=2")
        #expect(request.mountRelativeTarget == "/a%20b/%25/%C3%BC/x:@?page=2")
    }

    @Test("a mount whose decoded prefix runs past scriptName falls back to pathInfo")
    func prefixThatOvershoots() {
        // The first raw segment decodes to "app/x": longer than the mount "/app".
        let request = Request(method: .get, target: "/app%2Fx/y", scriptName: "/app", pathInfo: "/x/y")
        #expect(request.mountRelativePath == "/x/y")
    }

    @Test("[REQ-2] the HTTPRequest a framework gets: the relative path, the rest of the head unchanged")
    func httpRequest() throws {
        let head = try HTTPRequest(mountRelative: Self.request("/app/todos?done=true", mountedAt: "/app"))
        #expect(head.path == "/todos?done=true")
        #expect(head.method == .get)
        #expect(head.authority == "example.org")
        #expect(head.scheme == "http")
    }

    @Test("[REQ-7] a head HTTPTypes cannot hold unchanged is not passed on, and the log says why")
    func unrepresentableHead() throws {
        final class Lines: Sendable {
            let written = Mutex<[String]>([])
        }
        let log = Lines()
        var request = Self.request("/x")
        request.headers.append(name: "X-Control", value: "a\u{7F}b")
        request.errorLog = ErrorLog { line in log.written.withLock { $0.append(line) } }
        #expect(request.mountRelativeHead() == nil)
        let lines = log.written.withLock { $0 }
        #expect(lines.count == 1)
        #expect(lines.first?.contains("answered 400") == true)
        #expect(Self.request("/x").mountRelativeHead()?.path == "/x")
    }

    @Test("a path of thousands of segments is mapped in one pass")
    func longPath() {
        let target = "/app" + String(repeating: "/%41", count: 5_000)
        let request = Self.request(target, mountedAt: "/app")
        #expect(request.mountRelativePath == String(target.dropFirst(4)))
    }
}
