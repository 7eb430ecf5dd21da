// What proxies say about the hops before them: `Forwarded` (RFC 7239) or `X-Forwarded-*`.

import Sluice

/// One proxy's account of the hop before it: who connected to it, with which scheme, for
/// which host.
struct ForwardedHop: Equatable {
    /// The `for` node, as sent: an address, possibly with a port, `unknown` or an obfuscated name.
    var node: String
    /// The scheme the client of this hop used, as sent.
    var proto: String?
    /// The `Host` the client of this hop asked for, as sent.
    var host: String?
}

enum ForwardedHops {
    /// The hops the request's fields describe, first (outermost) to last: from `Forwarded`
    /// when present — `nil` when it does not parse, so that garbage changes nothing — else
    /// from `X-Forwarded-For`, each entry given the `X-Forwarded-Proto` and `-Host` entry at
    /// the same place counted from the right (the proxy nearest the server appends last).
    static func hops(in headers: Headers) -> [ForwardedHop]? {
        if let forwarded = headers.combinedValue(for: "Forwarded") {
            return parseForwarded(forwarded)
        }
        guard let list = headers.combinedValue(for: "X-Forwarded-For") else { return [] }
        let nodes = commaList(list)
        let protos = headers.combinedValue(for: "X-Forwarded-Proto").map(commaList) ?? []
        let hosts = headers.combinedValue(for: "X-Forwarded-Host").map(commaList) ?? []
        return nodes.indices.map { index in
            let fromRight = nodes.count - 1 - index
            return ForwardedHop(
                node: nodes[index],
                proto: fromRight < protos.count ? protos[protos.count - 1 - fromRight] : nil,
                host: fromRight < hosts.count ? hosts[hosts.count - 1 - fromRight] : nil
            )
        }
    }

    /// A comma-separated list, each entry's optional white space trimmed.
    static func commaList(_ value: String) -> [String] {
        value.split(separator: ",", omittingEmptySubsequences: false).map { String($0.trimmingSpaces) }
    }

    /// `Forwarded: for=192.0.2.60;proto=http;by=203.0.113.43, for="[2001:db8::1]:4711"` as
    /// hops; `nil` when any element is malformed or has no `for`.
    static func parseForwarded(_ value: String) -> [ForwardedHop]? {
        var scanner = ForwardedScanner(Array(value.utf8))
        var hops: [ForwardedHop] = []
        repeat {
            var hop = ForwardedHop(node: "")
            var hasFor = false
            repeat {
                scanner.skipSpaces()
                guard let name = scanner.token(), scanner.take(UInt8(ascii: "=")), let pairValue = scanner.value() else { return nil }
                switch name.lowercased() {
                case "for":
                    hop.node = pairValue
                    hasFor = true
                case "proto": hop.proto = pairValue
                case "host": hop.host = pairValue
                default: break
                }
                scanner.skipSpaces()
            } while scanner.take(UInt8(ascii: ";"))
            guard hasFor else { return nil }
            hops.append(hop)
        } while scanner.take(UInt8(ascii: ","))
        return scanner.atEnd ? hops : nil
    }
}

/// Reads tokens and quoted strings from a `Forwarded` value.
private struct ForwardedScanner {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }

    mutating func skipSpaces() {
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
    }

    mutating func take(_ byte: UInt8) -> Bool {
        skipSpaces()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// A token (RFC 9110 tchar+), or `nil`.
    mutating func token() -> String? {
        let start = index
        while index < bytes.count, bytes[index].isTokenCharacter { index += 1 }
        return index > start ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
    }

    /// A token or a quoted string, unquoted; `nil` when neither or unterminated.
    mutating func value() -> String? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return token() }
        index += 1
        var text: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return String(decoding: text, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { return nil }
                text.append(bytes[index])
                index += 1
            case 0..<0x20 where byte != UInt8(ascii: "\t"), 0x7F: return nil
            default: text.append(byte)
            }
        }
        return nil
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: SubSequence {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return self[endIndex...] }
        return self[first...last]
    }
}
