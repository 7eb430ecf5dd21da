// The connection watched while the application's task waits for something else: its end, an
// abort, and management records noticed at once (Spec LIFE-4, FCGI-4).

#if os(Linux)
import CEventPoll
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension RequestStreams {
    /// What to watch on the connection while the application's task waits for something
    /// else: poll(2) events, or `nil` when the connection has failed (the task is cancelled).
    ///
    /// Records already read are taken apart first — management records answered, an abort
    /// seen — up to body content the application has not read. Then the connection's end is
    /// watched for, and further bytes as long as they can be read ahead into the buffer.
    func eventsToWatch() -> Int16? {
        guard !hasFailed, connection != nil else { return nil }
        while true {
            let event = nextEvent(bodyLimit: 0)
            switch event {
            case .needBytes:
                return input.hasFreeSpace ? Int16(POLLIN) | Self.peerShutDown : Self.peerShutDown
            case .bodyWaiting:
                return Self.peerShutDown
            case .bodyEnded:
                continue
            case .getValues, .unknownManagementRecord, .beginWhileBusy:
                guard answerOutOfBand(event) else { break }
                continue
            case .aborted, .protocolError, .begin, .params, .paramsEnded, .body:
                break
            }
            fail()
            return nil
        }
    }

    /// The watched connection is ready while the application waits: the bytes that came are
    /// read ahead; a connection that ended, or was shut down by its peer, fails — the client
    /// went away (Spec LIFE-4, FCGI-4).
    func connectionReady(_ events: Int16) {
        let ended = Self.peerShutDown | Int16(POLLHUP) | Int16(POLLERR) | Int16(POLLNVAL)
        if events & ended != 0 || fill(waiting: false) == .ended {
            fail()
        }
    }

    /// poll(2)'s `POLLRDHUP` — the peer shut its side down — which the Glibc module leaves
    /// out: the same bit as `EPOLLRDHUP`.
    private static let peerShutDown = Int16(EPOLLRDHUP.rawValue)
}

#endif
