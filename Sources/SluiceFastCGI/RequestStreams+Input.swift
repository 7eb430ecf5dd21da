// FCGI_STDIN as the application reads it: pieces as they arrive, the read timeout and the
// minimum rate, and what is left drained at the end.

#if os(Linux)
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Sluice
import SluiceGateway

extension RequestStreams {
    /// Reads up to `maximum` bytes of `FCGI_STDIN`, as many as have arrived once one has;
    /// empty only at its end. A peer that stops sending for the read timeout, or sends slower
    /// than the minimum rate, fails the read (Spec SEC-5).
    func read(maximum: Int) throws(ClientDisconnected) -> [UInt8] {
        guard !hasFailed, let connection else { throw ClientDisconnected() }
        while maximum > 0, case .body = connection.records.phase {
            let event = nextEvent(bodyLimit: maximum)
            switch event {
            case let .body(piece):
                bodyReceived += piece.count
                return Array(piece)
            case .bodyEnded:
                return []
            case .needBytes:
                guard waitForBody() else { break }
                continue
            case .getValues, .unknownManagementRecord, .beginWhileBusy:
                guard answerOutOfBand(event) else { break }
                continue
            case let .protocolError(reason):
                ErrorLog.standardError.write("sluice: closing a FastCGI connection that broke the protocol: \(reason)")
            case .aborted, .begin, .params, .paramsEnded, .bodyWaiting:
                break
            }
            fail()
            throw ClientDisconnected()
        }
        return []
    }

    /// Reads more of the body, waiting at most the read timeout, and no longer than the
    /// minimum rate allows (Spec SEC-5); false when none came in time or the connection ended.
    private func waitForBody() -> Bool {
        if let rate = limits.minBodyRate {
            let now = ContinuousClock.now
            let started = bodyWaitStarted ?? now
            bodyWaitStarted = started
            let allowed = rate.grace + .seconds(Double(bodyReceived) / Double(max(1, rate.bytesPerSecond)))
            let left = started + allowed - now
            if left < limits.readTimeout && !SocketIO.waitReadable(connection!.descriptor, within: left) {
                let seconds = (now - started).components.seconds
                ErrorLog.standardError.write(
                    "sluice: a request body came slower than \(rate.bytesPerSecond) bytes a second (\(bodyReceived) bytes in \(seconds) s): closing its connection"
                )
                return false
            }
        }
        if case .bytes = fill(waiting: true) { return true }
        return false
    }

    /// Reads and drops the rest of the body; false when the connection failed first. When
    /// not `waiting`, only the bytes already read are taken apart: false when the body's end
    /// is not among them.
    func drainBody(waiting: Bool) -> Bool {
        guard !hasFailed, let connection else { return false }
        while case .body = connection.records.phase {
            let event = nextEvent(bodyLimit: .max)
            switch event {
            case let .body(piece):
                bodyReceived += piece.count
            case .bodyEnded:
                return true
            case .needBytes:
                guard waiting, waitForBody() else { return false }
            case .getValues, .unknownManagementRecord, .beginWhileBusy:
                guard answerOutOfBand(event) else { return false }
            case .aborted, .protocolError, .begin, .params, .paramsEnded, .bodyWaiting:
                return false
            }
        }
        return true
    }
}

#endif
