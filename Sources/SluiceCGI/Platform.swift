// The C library calls the CGI adapter makes under names its own types also use, in one place:
// the adapter is portable POSIX (Linux, Darwin), with nothing else that differs.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// read(2), for code inside a type that has a `read` of its own.
func systemRead(_ descriptor: Int32, _ bytes: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, bytes, count)
}

/// write(2), for code inside a type that has a `write` of its own.
func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

/// close(2), for code inside a type that has a `close` of its own.
func systemClose(_ descriptor: Int32) -> Int32 {
    close(descriptor)
}
