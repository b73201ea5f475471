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

/// One job started now on another thread and joined later: for serial work that needs nothing
/// from the stages it runs beside, so it fills a core those stages leave idle.
final class BackgroundJob<T>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Written once by the job before `done` is signalled; read only after waiting for it.
    private var result: T?

    init(_ body: @escaping @Sendable () -> T) {
        let thread = Thread { [self] in
            result = body()
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The job's result, once it has finished. Call once.
    func wait() -> T {
        done.wait()
        return result.take()!
    }
}

/// Lets go of a finished build's values on another thread. Freeing a 10,000-article site's
/// graph, articles and output records took 0.7 s of the calling thread, all after the work was
/// done; a command-line run exits without waiting for it, and `sitegen serve` frees them while
/// it waits for the next change.
func releaseInBackground(_ values: consuming some Any) {
    let box = UncheckedBox(values)
    Thread { box.drop() }.start()
}

/// Holds a value for `releaseInBackground`; unchecked Sendable because only the releasing thread
/// touches it once it is handed over.
private final class UncheckedBox<V>: @unchecked Sendable {
    private var value: V?
    init(_ value: consuming V) { self.value = consume value }
    func drop() { value = nil }
}
