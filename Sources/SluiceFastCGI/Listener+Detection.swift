// What a process was started with: the check ``Listener/automatic`` makes, for an entry point
// that chooses between protocols.

extension Listener {
    /// The socket ``automatic`` would use, without opening it: ``systemd`` when `LISTEN_FDS`
    /// and `LISTEN_PID` name this process, ``inherited`` when descriptor 0 is a listening
    /// socket (a FastCGI front server or spawn-fcgi started the process), else `nil`.
    ///
    /// An entry point that serves several protocols asks this first: a socket on descriptor 0
    /// means FastCGI, while a systemd socket could carry either protocol.
    public static func detected() -> Listener? {
        if ListeningSocket.systemdPassedSockets() { return .systemd }
        if ListeningSocket.isListeningSocket(0) { return .inherited }
        return nil
    }
}
