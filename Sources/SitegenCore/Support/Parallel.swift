import Dispatch
import Foundation

/// Data parallelism for the pure stages (render, and per-article work): the jobs of a build are
/// independent, and on the 2-core build machine one core left idle is half the machine.
enum Parallel {
    /// `body(i)` for every `i` in `0..<count`, in order, computed on all cores. Jobs are handed out
    /// in chunks from a shared counter, so a few slow jobs (a big entity page) do not leave a core idle.
    static func map<T>(_ count: Int, chunk: Int = 8, _ body: (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, (count + chunk - 1) / chunk)
        if workers <= 1 { return (0..<count).map(body) }
        return withoutActuallyEscaping(body) { body in
            let work = Work(count: count, chunk: chunk, body: body)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in work.run() }
            return work.collect()
        }
    }

    /// The shared state of one `map`. Unchecked Sendable: each result slot is written by exactly
    /// one worker (the one that took its chunk under the lock) and read only after all have joined.
    private final class Work<T>: @unchecked Sendable {
        let count: Int, chunk: Int
        let body: (Int) -> T
        let results: UnsafeMutablePointer<T?>
        let lock = NSLock()
        var next = 0

        init(count: Int, chunk: Int, body: @escaping (Int) -> T) {
            self.count = count
            self.chunk = chunk
            self.body = body
            results = .allocate(capacity: count)
            results.initialize(repeating: nil, count: count)
        }

        deinit {
            results.deinitialize(count: count)
            results.deallocate()
        }

        func run() {
            while true {
                lock.lock()
                let start = next
                next += chunk
                lock.unlock()
                if start >= count { return }
                for i in start..<min(count, start + chunk) { results[i] = body(i) }
            }
        }

        func collect() -> [T] { (0..<count).map { results[$0].take()! } }
    }
}
