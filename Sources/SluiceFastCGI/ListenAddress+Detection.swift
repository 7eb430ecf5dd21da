// What a process was started with: the check ``ListenAddress/automatic`` makes, for an entry
// point that chooses between protocols.

extension ListenAddress {
    /// The socket ``automatic`` would use, without opening it: ``systemdSocket`` when `LISTEN_FDS`
    /// and `LISTEN_PID` name this process, ``inherited`` when descriptor 0 is a listening
    /// socket (a FastCGI front server or spawn-fcgi started the process), else `nil`.
    ///
    /// An entry point that serves several protocols asks this first: a socket on descriptor 0
    /// means FastCGI, while a systemd socket could carry either protocol.
    public static func detected() -> ListenAddress? {
        if ListeningSocket.systemdPassedSockets() { return .systemdSocket }
        if ListeningSocket.isListeningSocket(0) { return .inherited }
        return nil
    }
}
