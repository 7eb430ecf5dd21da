// The media type of a request body, as its Content-Type says.

public import Sluice

/// A media type such as `application/json; charset=utf-8`, from a `Content-Type` field.
public struct MediaType: Sendable, Hashable, CustomStringConvertible {
    /// The type, lowercased: `application` in `application/json`.
    public var type: String
    /// The subtype, lowercased: `json` in `application/json`.
    public var subtype: String
    private var parameterList: [ParameterizedValue.Parameter]

    /// Parses a `Content-Type` value; `nil` unless it is `type/subtype` with well-formed parameters.
    public init?(_ text: String) {
        guard let parsed = ParameterizedValue(parsing: text) else { return nil }
        let parts = parsed.value.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
            !parsed.value.contains(where: { $0 == " " || $0 == "\t" })
        else { return nil }
        type = String(parts[0])
        subtype = String(parts[1])
        parameterList = parsed.parameters
    }

    /// The value of a parameter such as `charset` or `boundary`, or `nil`.
    public func parameter(_ name: String) -> String? {
        let wanted = name.lowercased()
        return parameterList.first { $0.name == wanted }?.value
    }

    /// `type/subtype`, without parameters.
    public var essence: String { "\(type)/\(subtype)" }

    /// Whether this is JSON: `application/json` or any `+json` type (RFC 6839).
    public var isJSON: Bool {
        type == "application" && (subtype == "json" || subtype.hasSuffix("+json"))
    }

    /// `type/subtype`, followed by its parameters.
    public var description: String {
        ([essence] + parameterList.map { "\($0.name)=\($0.value)" }).joined(separator: "; ")
    }
}

extension Request {
    /// The media type of the body, from `Content-Type`; `nil` when absent or malformed.
    public var mediaType: MediaType? {
        headers["Content-Type"].flatMap(MediaType.init)
    }
}
