// The executor CGI.main runs a request on: the calling thread, no pool.

import Glibc
import Testing

@testable import SluiceCGI

@Suite("Running a request on the calling thread")
struct CallingThreadExecutorTests {
    @Test("the operation runs on the calling thread, across suspensions, and its result is returned")
    func runsOnCallingThread() {
        let caller = pthread_self()
        let threads = CallingThreadExecutor.run { () async -> [Bool] in
            var onCaller = [pthread_equal(pthread_self(), caller) != 0]
            // A sleep resumes from a timer on another thread: the job must come back here.
            try? await Task.sleep(for: .milliseconds(20))
            onCaller.append(pthread_equal(pthread_self(), caller) != 0)
            async let child = pthread_equal(pthread_self(), caller) != 0
            onCaller.append(await child)
            return onCaller
        }
        #expect(threads == [true, true, true])
    }

    @Test("many suspensions in a row neither block nor lose a job")
    func manySuspensions() {
        let count = CallingThreadExecutor.run { () async -> Int in
            var count = 0
            for _ in 0..<100_000 {
                await Task.yield()
                count += 1
            }
            return count
        }
        #expect(count == 100_000)
    }
}
