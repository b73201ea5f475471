import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Watches folders (recursively) and calls `onChange` once things have been quiet for `debounce`
/// seconds after a change. Linux: inotify, so a save is seen at once and an idle watcher costs
/// nothing. Elsewhere, or if inotify is unavailable: polls sizes and modification times every
/// `pollInterval` seconds. Editor droppings (dotfiles, `~` backups, swap files) are ignored.
public final class ChangeWatcher: @unchecked Sendable {
    public let roots: [URL]
    public let debounce: TimeInterval
    public let pollInterval: TimeInterval
    private let onChange: @Sendable ([String]) -> Void
    private let lock = NSLock()
    private var stopped = false
    private var thread: Thread?
    private let done = DispatchSemaphore(value: 0)
    /// "inotify" or "polling", for the startup message.
    public private(set) var mechanism = "polling"

    public init(roots: [URL], debounce: TimeInterval = 0.1, pollInterval: TimeInterval = 0.2,
                onChange: @escaping @Sendable ([String]) -> Void) {
        self.roots = roots.map(\.standardizedFileURL)
        self.debounce = debounce
        self.pollInterval = pollInterval
        self.onChange = onChange
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    public func start() {
        #if os(Linux)
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        if fd >= 0 {
            mechanism = "inotify"
            let t = Thread { [self] in runInotify(fd); done.signal() }
            t.name = "sitegen-watch"
            thread = t
            t.start()
            return
        }
        #endif
        let t = Thread { [self] in runPolling(); done.signal() }
        t.name = "sitegen-watch"
        thread = t
        t.start()
    }

    /// Stops the watcher and waits (at most a second) for its thread to end.
    public func stop() {
        let wasRunning = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped && thread != nil
        }
        if wasRunning { _ = done.wait(timeout: .now() + 1) }
    }

    static func ignored(_ name: String) -> Bool {
        name.isEmpty || name.hasPrefix(".") || name.hasSuffix("~") || name.hasSuffix(".swp") || name.hasSuffix(".swx")
            || name.hasPrefix("#") || name == "4913"
    }

    /// Every folder below the roots (the roots included).
    func folders() -> [String] {
        var out: [String] = []
        func visit(_ path: String) {
            out.append(path)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
            for n in names where !n.hasPrefix(".") {
                let p = path + "/" + n
                var st = stat()
                if lstat(p, &st) == 0, st.st_mode & S_IFMT == S_IFDIR { visit(p) }
            }
        }
        for r in roots { visit(r.path) }
        return out
    }

    /// Waits for quiet: returns once no new change arrived for `debounce` seconds (or after 2 s
    /// of continuous changes, so a long copy still gets a build).
    private func settle(_ changed: inout Set<String>, poll: (TimeInterval) -> [String]) {
        let start = Date()
        while !isStopped {
            let more = poll(debounce)
            if more.isEmpty || Date().timeIntervalSince(start) > 2 { return }
            changed.formUnion(more)
        }
    }

    #if os(Linux)
    private func runInotify(_ fd: Int32) {
        defer { close(fd) }
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_DELETE_SELF
                          | IN_MOVE_SELF | IN_ATTRIB | IN_MODIFY)
        var watches: [Int32: String] = [:]
        func addWatches() {
            for f in folders() {
                let wd = inotify_add_watch(fd, f, mask)
                if wd >= 0 { watches[wd] = f }
            }
        }
        addWatches()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        /// Waits up to `timeout` for events and returns the changed paths.
        func read(_ timeout: TimeInterval) -> [String] {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, Int32(timeout * 1000)) > 0 else { return [] }
            var out: [String] = []
            var newFolder = false
            while true {
                let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                guard n > 0 else { break }
                var off = 0
                let header = MemoryLayout<inotify_event>.size
                while off + header <= n {
                    let (wd, evMask, len) = buffer.withUnsafeBytes { raw -> (Int32, UInt32, Int) in
                        let ev = raw.loadUnaligned(fromByteOffset: off, as: inotify_event.self)
                        return (ev.wd, ev.mask, Int(ev.len))
                    }
                    var name = ""
                    if len > 0 {
                        let bytes = buffer[(off + header)..<min(n, off + header + len)]
                        name = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
                    }
                    off += header + len
                    if evMask & UInt32(IN_ISDIR) != 0 && evMask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 { newFolder = true }
                    if evMask & UInt32(IN_IGNORED) != 0 { watches[wd] = nil; continue }
                    if len > 0 && Self.ignored(name) { continue }
                    out.append((watches[wd] ?? "?") + (name.isEmpty ? "" : "/" + name))
                }
            }
            if newFolder || out.contains(where: { p in roots.contains { $0.path == p } }) { addWatches() }
            return out
        }
        while !isStopped {
            let first = read(0.2)
            guard !first.isEmpty else {
                // A root that was deleted and re-created needs its watch back.
                let watched = Set(watches.values)
                if roots.contains(where: { !watched.contains($0.path) }) { addWatches() }
                continue
            }
            var changed = Set(first)
            settle(&changed) { read($0) }
            if !isStopped { onChange(changed.sorted()) }
        }
    }
    #endif

    private func runPolling() {
        func snapshot() -> [String: String] {
            var out: [String: String] = [:]
            for f in folders() {
                guard let names = try? FileManager.default.contentsOfDirectory(atPath: f) else { continue }
                for n in names where !Self.ignored(n) {
                    let p = f + "/" + n
                    var st = stat()
                    if stat(p, &st) == 0, st.st_mode & S_IFMT != S_IFDIR {
                        #if canImport(Darwin)
                        let m = st.st_mtimespec
                        #else
                        let m = st.st_mtim
                        #endif
                        out[p] = "\(st.st_size)/\(m.tv_sec).\(m.tv_nsec)/\(st.st_ino)"
                    }
                }
            }
            return out
        }
        var last = snapshot()
        func diff() -> [String] {
            let now = snapshot()
            defer { last = now }
            return Set(now.keys).union(last.keys).filter { now[$0] != last[$0] }.sorted()
        }
        while !isStopped {
            Thread.sleep(forTimeInterval: pollInterval)
            let first = diff()
            guard !first.isEmpty else { continue }
            var changed = Set(first)
            settle(&changed) { t in Thread.sleep(forTimeInterval: t); return diff() }
            if !isStopped { onChange(changed.sorted()) }
        }
    }
}
