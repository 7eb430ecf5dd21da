// Large test bodies made without a loop over every byte.

public import Foundation

/// Request bodies of any size for tests, made by repeating one small block.
///
/// A debug build spends 6–10 s on `(0..<64 MiB).map { ... }`, and does so on one of the
/// concurrency pool's threads — on a 2-core machine one of two. Other tests running at the
/// same time then wait for that thread: their `Task.sleep`s wake seconds late and the tasks
/// their servers start for completion hooks do not run, so their timeouts fire. Repeating
/// a block is a memory copy.
public enum PatternBytes {
    /// `count` bytes: a 64 KiB block whose byte *i* is *i* mod 251, repeated and cut to length.
    public static func data(count: Int) -> Data {
        let block = Data((0..<65_536).map { UInt8(truncatingIfNeeded: $0 % 251) })
        var data = Data(capacity: count)
        while data.count < count {
            data.append(block.prefix(count - data.count))
        }
        return data
    }
}
