// A socket filter that stops a listening socket taking new connections while the ones already
// in its accept queue are accepted.

#if os(Linux)
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A classic BPF program, for `SO_ATTACH_FILTER`, that drops every TCP segment with SYN set
/// and ACK clear: a client's first segment.
///
/// On a listening socket it stops the kernel starting handshakes — a new client's SYN goes
/// unanswered; the client sends it again a second later and is refused once the socket is
/// closed, before it could send a request — while handshakes already under way complete into
/// the accept queue. So a server stopping gracefully can accept every connection a client may
/// have sent a request on and then close its listener without resetting one (Spec LIFE-5).
/// Closing without it resets what the queue holds, and a client that reconnects at once (as
/// load generators and busy front servers do) keeps the queue from ever emptying. The
/// connections accepted afterwards inherit the filter, and it drops nothing of theirs: only a
/// client's first segment is a SYN without ACK.
///
/// The layout is the kernel's `struct sock_fprog`, which the Glibc module does not declare;
/// Swift lays a struct's stored properties out in order, each at its natural alignment, as C does.
package struct HandshakeFilter: @unchecked Sendable {
    /// One instruction: the kernel's `struct sock_filter`.
    struct Instruction {
        let code: UInt16
        let jumpIfTrue: UInt8
        let jumpIfFalse: UInt8
        let operand: UInt32
    }

    let instructionCount: UInt16
    /// Allocated once for the process's life: the kernel copies the program when it is
    /// attached, from whichever thread attaches it.
    let instructions: UnsafePointer<Instruction>

    /// The filter. Classic BPF run on a TCP socket's segment sees it from the TCP header on,
    /// over IPv4 and IPv6 alike; byte 13 of that header holds the flags.
    package static let refusingNewConnections: HandshakeFilter = {
        // The operation codes of <linux/bpf_common.h>, which the Glibc module leaves out.
        let load: UInt16 = 0x30  // BPF_LD | BPF_B | BPF_ABS: the byte at an offset
        let and: UInt16 = 0x54  // BPF_ALU | BPF_AND | BPF_K
        let jumpIfEqual: UInt16 = 0x15  // BPF_JMP | BPF_JEQ | BPF_K
        let returnConstant: UInt16 = 0x06  // BPF_RET | BPF_K
        let syn: UInt32 = 0x02
        let ack: UInt32 = 0x10
        let program = [
            Instruction(code: load, jumpIfTrue: 0, jumpIfFalse: 0, operand: 13),
            Instruction(code: and, jumpIfTrue: 0, jumpIfFalse: 0, operand: syn | ack),
            // SYN without ACK: on to the next instruction, which drops it; anything else skips it.
            Instruction(code: jumpIfEqual, jumpIfTrue: 0, jumpIfFalse: 1, operand: syn),
            Instruction(code: returnConstant, jumpIfTrue: 0, jumpIfFalse: 0, operand: 0),
            // The number of bytes to keep: all of them.
            Instruction(code: returnConstant, jumpIfTrue: 0, jumpIfFalse: 0, operand: .max),
        ]
        let instructions = UnsafeMutablePointer<Instruction>.allocate(capacity: program.count)
        instructions.initialize(from: program, count: program.count)
        return HandshakeFilter(instructionCount: UInt16(program.count), instructions: instructions)
    }()

    /// How long a server waits, once the filter is attached, for the handshakes under way to
    /// complete into the queue before it takes an empty queue for the end of it: the client's
    /// last segment of a handshake is one round trip away.
    package static var handshakeAllowance: Duration { .milliseconds(100) }

    /// The socket option level of the options below.
    package static var optionLevel: Int32 { SOL_SOCKET }
    /// The option that attaches a filter, given as the value.
    package static var attachOption: Int32 { SO_ATTACH_FILTER }
    /// The option that removes the filter attached.
    package static var detachOption: Int32 { SO_DETACH_FILTER }
}
#endif
