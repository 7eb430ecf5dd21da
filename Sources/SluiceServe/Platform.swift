// The C library calls serve(app) makes that Linux and Darwin spell differently, in one place.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What differs between the platforms, for serve(app).
enum Platform {
    /// The directory that lists the process's open descriptors.
    static let descriptorDirectory: String = {
        #if os(Linux)
        "/proc/self/fd"
        #else
        "/dev/fd"
        #endif
    }()
}

/// write(2), for code inside a type that has a `write` of its own.
func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
