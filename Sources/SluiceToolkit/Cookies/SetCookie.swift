// A Set-Cookie field built with safe defaults, refusing anything that would inject into it.

public import Sluice

/// A cookie to set on the client (RFC 6265 section 4.1).
///
/// The defaults are the safe ones: `HttpOnly`, `SameSite=Lax`, `Secure` when the request came
/// over https, and `Path` at the application's mount point (``Request/scriptName``), so that
/// an application mounted at `/app` does not set cookies for the whole site.
///
/// ```swift
/// var response = Response.text("signed in\n")
/// try response.setCookie(SetCookie(name: "theme", value: "dark", maxAge: 86_400), for: request)
/// ```
public struct SetCookie: Sendable, Hashable {
    /// When a browser sends the cookie with a request from another site.
    public enum SameSite: String, Sendable, Hashable {
        /// Only with requests from the same site.
        case strict = "Strict"
        /// Also with top-level navigations from other sites (the default).
        case lax = "Lax"
        /// With every request; browsers then demand `Secure`, which is set.
        case none = "None"
    }

    /// The name: an RFC 9110 token.
    public var name: String
    /// The value: RFC 6265 cookie-octets, optionally in double quotes. Encode anything else
    /// (for example with ``FormFields/encoded``).
    public var value: String
    /// The path it applies to; `nil` means the request's mount point.
    public var path: String?
    /// The domain it applies to; `nil` means this host only.
    public var domain: String?
    /// Seconds until it expires; `nil` means when the browser closes.
    public var maxAge: Int?
    /// Whether it is sent over https only; `nil` means when the request came over https.
    public var secure: Bool?
    /// Whether scripts in the page cannot read it.
    public var httpOnly: Bool
    /// When it goes with cross-site requests; `nil` leaves it to the browser.
    public var sameSite: SameSite?

    /// Creates a cookie with the safe defaults.
    public init(
        name: String,
        value: String,
        path: String? = nil,
        domain: String? = nil,
        maxAge: Int? = nil,
        secure: Bool? = nil,
        httpOnly: Bool = true,
        sameSite: SameSite? = .lax
    ) {
        self.name = name
        self.value = value
        self.path = path
        self.domain = domain
        self.maxAge = maxAge
        self.secure = secure
        self.httpOnly = httpOnly
        self.sameSite = sameSite
    }

    /// A cookie that deletes the one named `name` (empty, `Max-Age=0`) at the same path.
    public static func deleting(_ name: String, path: String? = nil, domain: String? = nil) -> SetCookie {
        SetCookie(name: name, value: "", path: path, domain: domain, maxAge: 0)
    }

    /// The `Set-Cookie` field value for a response to `request`.
    ///
    /// - Throws: ``CookieError`` when the name is not a token, the value has bytes a cookie
    ///   cannot hold (`;`, `,`, space, quotes inside, CR, LF …), or the path or domain has
    ///   a `;` or a control character: each would change the field's meaning.
    public func fieldValue(for request: Request) throws -> String {
        guard !name.isEmpty, name.utf8.allSatisfy(MultipartParser.isTokenByte) else { throw CookieError.invalidName(name) }
        guard Self.isCookieValue(value) else { throw CookieError.invalidValue(name: name) }
        var field = "\(name)=\(value)"
        let path = path ?? Self.defaultPath(for: request)
        guard Self.isAttributeValue(path) else { throw CookieError.invalidAttribute(name: name, attribute: "Path") }
        field += "; Path=\(path)"
        if let domain {
            guard Self.isAttributeValue(domain) else { throw CookieError.invalidAttribute(name: name, attribute: "Domain") }
            field += "; Domain=\(domain)"
        }
        if let maxAge {
            field += "; Max-Age=\(max(0, maxAge))"
            if maxAge <= 0 { field += "; Expires=Thu, 01 Jan 1970 00:00:00 GMT" }
        }
        if secure ?? (request.scheme == "https") || sameSite == SameSite.none { field += "; Secure" }
        if httpOnly { field += "; HttpOnly" }
        if let sameSite { field += "; SameSite=\(sameSite.rawValue)" }
        return field
    }

    /// The request's mount point as a cookie path: ``Request/scriptName`` percent-encoded, or `/`.
    static func defaultPath(for request: Request) -> String {
        request.scriptName.isEmpty ? "/" : URLPath.encode(request.scriptName)
    }

    /// Whether `value` is `*cookie-octet` or one in double quotes (RFC 6265 section 4.1.1).
    static func isCookieValue(_ value: String) -> Bool {
        var bytes = Substring(value).utf8
        if bytes.count >= 2, bytes.first == UInt8(ascii: "\""), bytes.last == UInt8(ascii: "\"") {
            bytes = bytes.dropFirst().dropLast()
        }
        return bytes.allSatisfy { byte in
            byte == 0x21 || (0x23...0x2B).contains(byte) || (0x2D...0x3A).contains(byte)
                || (0x3C...0x5B).contains(byte) || (0x5D...0x7E).contains(byte)
        }
    }

    /// Whether an attribute value has no `;` and no control characters.
    static func isAttributeValue(_ value: String) -> Bool {
        value.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x7F && $0 != UInt8(ascii: ";") }
    }
}

/// A cookie that cannot be sent as it is.
public enum CookieError: Error, Hashable, CustomStringConvertible {
    /// The name is empty or not an RFC 9110 token.
    case invalidName(String)
    /// The value of the named cookie has bytes a cookie cannot hold.
    case invalidValue(name: String)
    /// An attribute of the named cookie has a `;` or a control character.
    case invalidAttribute(name: String, attribute: String)

    /// A sentence saying what is wrong.
    public var description: String {
        switch self {
        case let .invalidName(name): "the cookie name \(JSONText.quoted(name)) is not a token"
        case let .invalidValue(name): "the value of cookie \(name) has bytes a cookie cannot hold; encode it"
        case let .invalidAttribute(name, attribute): "the \(attribute) of cookie \(name) has a ';' or a control character"
        }
    }
}

extension Response {
    /// Adds a `Set-Cookie` field for `cookie`, with the defaults `request` implies.
    ///
    /// - Throws: ``CookieError`` for a cookie that would inject into the field.
    public mutating func setCookie(_ cookie: SetCookie, for request: Request) throws {
        headers.append(name: "Set-Cookie", value: try cookie.fieldValue(for: request))
    }
}
