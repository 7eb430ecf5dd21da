// Flag, then environment variable, then default: the one precedence every setting follows.

import ArgumentParser
import SluiceCGI

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The environment variables a flag falls back to (`--max-body-bytes` → `SLUICE_MAX_BODY_BYTES`).
///
/// ArgumentParser has no environment fallback of its own, so each flag is optional and a
/// missing one is looked up here; a variable that is set but invalid is an error, like a bad flag.
struct EnvironmentFallback {
    /// The process's environment, by name.
    let variables: [String: String]

    /// The flag's value when given, else the variable's, else `nil` (the adapter's default).
    func value<Value: ExpressibleByArgument>(_ flag: Value?, _ variable: String) throws -> Value? {
        if let flag { return flag }
        guard let text = variables[variable] else { return nil }
        guard let value = Value(argument: text) else {
            throw ValidationError("\(variable): invalid value \"\(text)\"")
        }
        return value
    }

    /// Like ``value(_:_:)``, for a count or size that must be above zero.
    func positive(_ flag: Int?, _ variable: String) throws -> Int? {
        guard let value = try value(flag, variable) else { return nil }
        guard value > 0 else { throw ValidationError("\(Self.flagName(variable)) (\(variable)) must be above 0, not \(value)") }
        return value
    }

    /// Like ``value(_:_:)``, for a number of seconds above zero.
    func seconds(_ flag: Double?, _ variable: String) throws -> Duration? {
        guard let value = try value(flag, variable) else { return nil }
        guard value > 0, value.isFinite else { throw ValidationError("\(Self.flagName(variable)) (\(variable)) must be a positive number of seconds") }
        return .milliseconds(Int((value * 1000).rounded()))
    }

    /// `--max-body-bytes` for `SLUICE_MAX_BODY_BYTES`.
    static func flagName(_ variable: String) -> String {
        "--" + String(variable.dropFirst("SLUICE_".count).lowercased().map { $0 == "_" ? "-" : $0 })
    }

    /// Every variable of the process.
    static func processEnvironment() -> [String: String] {
        var variables: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return variables
    }

    /// `SLUICE_MAX_BODY_BYTES` under CGI, read without building the whole environment; the
    /// adapter's default when unset or not a positive number (a CGI program has no one to tell).
    static func cgiMaximumBodyLength() -> Int {
        guard let text = getenv("SLUICE_MAX_BODY_BYTES"), let value = Int(String(cString: text)), value > 0 else {
            return CGILimits().maxBodyBytes
        }
        return value
    }
}
