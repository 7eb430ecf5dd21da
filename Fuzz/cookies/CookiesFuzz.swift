// Fuzz harness: Cookie parsing and Set-Cookie building.
// Invariants: parsed names are non-empty and hold no `;`; a Set-Cookie that is built holds no
// CR, LF or NUL and no `;` beyond its attributes' own.
// Module under test: SluiceToolkit

import Sluice
@testable import SluiceToolkit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCookies(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let cookies = Cookies(parsing: text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    for (name, value) in cookies.all {
        precondition(!name.isEmpty && !name.contains(";") && !value.contains(";"), "a parsed cookie holds a ;")
    }
    let halves = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
    let request = Request(method: .get, target: "/", scriptName: halves.last ?? "", pathInfo: "/")
    let cookie = SetCookie(name: halves[0], value: halves.count > 1 ? halves[1] : "", path: size % 3 == 0 ? halves.last : nil)
    if let field = try? cookie.fieldValue(for: request) {
        precondition(!field.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 }, "a Set-Cookie holds CR, LF or NUL")
        let attributes = field.split(separator: ";").dropFirst().map { $0.split(separator: "=").first.map(String.init) ?? "" }
        precondition(attributes.allSatisfy { [" Path", " Domain", " Max-Age", " Expires", " Secure", " HttpOnly", " SameSite"].contains($0) }, "an attribute was injected")
    }
    return 0
}
