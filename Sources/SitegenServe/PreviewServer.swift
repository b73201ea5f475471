import FlyingFox
import FlyingSocks
import Foundation
import SitegenCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `sitegen serve`: builds the site, serves the output folder over HTTP, rebuilds when content/
/// or Templates/ change, and tells open pages to reload (or to show the build error).
///
/// Builds run on the watcher's thread, one at a time (a lock also keeps the first build and any
/// explicit `rebuild` from overlapping); changes made during a build are queued by the watcher and
/// trigger the next one. A failed build writes nothing (the output writer never
/// touches the site on failure), so the last good site stays served.
public final class PreviewServer: @unchecked Sendable {
    public struct Options: Sendable {
        public var host: String
        public var port: UInt16
        public var build: SiteBuilder.Options
        /// Keep parse and extraction results between rebuilds (in memory and in `build.cacheDirectory`).
        public var useCache: Bool
        public var debounce: TimeInterval

        public init(host: String = "127.0.0.1", port: UInt16 = 8000, build: SiteBuilder.Options,
                    useCache: Bool = true, debounce: TimeInterval = 0.1) {
            self.host = host
            self.port = port
            self.build = build
            self.useCache = useCache
            self.debounce = debounce
        }
    }

    /// The result of one build, for the terminal and for tests.
    public struct Outcome: Sendable {
        public var number: Int
        public var milliseconds: Double
        public var report: SiteBuilder.Report?
        public var diagnostics: [Diagnostic]
        public var succeeded: Bool { report != nil }
    }

    public let options: Options
    public let hub = EventHub()
    let site: StaticSite
    private var builder: SiteBuilder
    private let log: @Sendable (String) -> Void
    private let lock = NSLock()
    /// One build at a time, whoever asks.
    private let buildLock = NSLock()
    private var outcomes: [Outcome] = []
    private var server: HTTPServer?
    private var serverTask: Task<Void, any Error>?
    private var keepAliveTask: Task<Void, Never>?
    private var watcher: ChangeWatcher?
    public private(set) var port: UInt16 = 0

    public init(options: Options, log: @escaping @Sendable (String) -> Void = { print($0) }) {
        var options = options
        // Pages link from the site's base path; a preview lives at the server's root.
        if options.build.baseURL == nil { options.build.baseURL = "/" }
        if !options.useCache { options.build.cacheDirectory = nil }
        self.options = options
        self.log = log
        builder = SiteBuilder(options: options.build)
        if options.useCache { builder.cache = ArticleCache(directory: options.build.cacheDirectory) }
        site = StaticSite(root: options.build.output)
    }

    public var url: String {
        let h = options.host.contains(":") ? "[\(options.host)]" : options.host
        return "http://\(h):\(port)/"
    }

    /// Every build so far, oldest first.
    public var history: [Outcome] { lock.withLock { outcomes } }
    public var lastOutcome: Outcome? { lock.withLock { outcomes.last } }

    // MARK: lifecycle

    /// Starts listening, builds once, starts watching. Throws if the address cannot be bound.
    public func start() async throws {
        let server = HTTPServer(address: try Self.address(options.host, port: options.port), timeout: 30,
                                logger: .disabled, handler: PreviewHandler(owner: self))
        self.server = server
        let failure = Failure()
        let task = Task {
            do { try await server.run() } catch { failure.set(error); throw error }
        }
        serverTask = task
        let deadline = Date().addingTimeInterval(10)
        while !(await server.isListening) {
            if let e = failure.get() { throw Self.bindError(e, options: options) }
            if Date() > deadline { throw ServeError(message: "the server did not start listening within 10 s") }
            try await Task.sleep(nanoseconds: 2_000_000)
        }
        switch await server.listeningAddress {
        case .ip4(_, let p)?, .ip6(_, let p)?: port = p
        default: port = options.port
        }
        // Listening first, so a busy port fails before anything is written; then watching (a save
        // during the first build gets a build of its own after it), then the first build.
        log("Serving \(options.build.output.path) at \(url) — building…")
        let watcher = ChangeWatcher(roots: [options.build.content, options.build.templates], debounce: options.debounce) { [weak self] paths in
            self?.rebuild(changed: paths)
        }
        watcher.start()
        self.watcher = watcher
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread { [self] in
                rebuild(changed: [])
                c.resume()
            }
        }
        keepAliveTask = Task { [hub] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 15_000_000_000)
                hub.keepAlive()
            }
        }
    }

    /// Stops watching, closes the event streams and the server.
    public func stop() async {
        watcher?.stop()
        keepAliveTask?.cancel()
        hub.finishAll()
        if let server { await server.stop(timeout: 0.3) }
        serverTask?.cancel()
        _ = try? await serverTask?.value
    }

    /// The mechanism the watcher uses ("inotify" or "polling").
    public var watchMechanism: String { watcher?.mechanism ?? "none" }

    // MARK: building

    /// Builds now (on the calling thread) and tells the pages.
    @discardableResult
    public func rebuild(changed: [String]) -> Outcome {
        buildLock.lock()
        defer { buildLock.unlock() }
        let t0 = DispatchTime.now().uptimeNanoseconds
        var report: SiteBuilder.Report?
        var diagnostics: [Diagnostic] = []
        do {
            report = try builder.build()
            diagnostics = report?.warnings ?? []
        } catch {
            diagnostics = error.diagnostics
        }
        let ms = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
        let outcome = lock.withLock { () -> Outcome in
            let o = Outcome(number: outcomes.count + 1, milliseconds: ms, report: report, diagnostics: diagnostics)
            outcomes.append(o)
            if outcomes.count > 200 { outcomes.removeFirst(outcomes.count - 200) }
            return o
        }
        let cause = Self.describe(changed, content: options.build.content, templates: options.build.templates)
        if let r = report {
            hub.buildSucceeded(changed: r.write.changedAnything, milliseconds: ms)
            for w in r.warnings { log(w.description) }
            let w = r.write
            let steps = " [" + r.timings.map { "\($0.stage) \(Int(($0.seconds * 1000).rounded()))" }.joined(separator: ", ") + " ms]"
            log(String(format: "%@ in %.0f ms%@: %d articles (%d cached), %d events; %d files written, %d unchanged, %d deleted%@",
                       outcome.number == 1 ? "Built" : "Rebuilt", ms, cause as NSString, r.articles, r.cache.hits,
                       r.events, w.written, w.unchanged, w.deleted, steps as NSString))
        } else {
            hub.buildFailed(diagnostics)
            for d in diagnostics { log(d.description) }
            let n = diagnostics.filter { $0.severity == .error }.count
            log("Build failed with \(n) error\(n == 1 ? "" : "s")\(cause); still serving the last good site. Fix the file and it rebuilds by itself.")
        }
        return outcome
    }

    static func describe(_ paths: [String], content: URL, templates: URL) -> String {
        guard !paths.isEmpty else { return "" }
        let parent = content.standardizedFileURL.deletingLastPathComponent().path + "/"
        let names = paths.prefix(3).map { $0.hasPrefix(parent) ? String($0.dropFirst(parent.count)) : $0 }
        return " (" + names.joined(separator: ", ") + (paths.count > 3 ? ", …" : "") + " changed)"
    }

    // MARK: addresses

    static func address(_ host: String, port: UInt16) throws -> any SocketAddress {
        let h = host == "localhost" ? "127.0.0.1" : host
        do {
            if h.contains(":") { return try sockaddr_in6.inet6(ip6: h, port: port) }
            return try sockaddr_in.inet(ip4: h, port: port)
        } catch {
            throw ServeError(message: "--host \(host) is not an IP address (use 127.0.0.1, ::1 or localhost)")
        }
    }

    static func bindError(_ error: any Error, options: Options) -> ServeError {
        ServeError(message: "cannot listen on \(options.host):\(options.port): \(error.localizedDescription); "
                   + "is another server using the port? Pass --port with another number, or --port 0 for any free one")
    }

    // MARK: responses

    func respond(_ request: HTTPRequest) async -> HTTPResponse {
        let head = request.method == .HEAD
        guard request.method == .GET || head else {
            let headers: HTTPHeaders = [HTTPHeader("Allow"): "GET, HEAD"]
            return HTTPResponse(statusCode: .methodNotAllowed, headers: headers)
        }
        let raw = request.target.path()
        if raw == LiveReloadScript.eventsPath {
            return HTTPResponse(statusCode: .ok,
                                headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store",
                                          HTTPHeader("X-Accel-Buffering"): "no"],
                                body: HTTPBodySequence(from: EventByteSequence(stream: hub.subscribe())))
        }
        if raw == LiveReloadScript.path {
            return body(Array(LiveReloadScript.source.utf8), type: "text/javascript; charset=utf-8", status: .ok, head: head)
        }
        switch site.resolve(rawPath: raw) {
        case .file(let url):
            guard let data = FileManager.default.contents(atPath: url.path) else { return await notFound(head: head) }
            let type = StaticSite.contentType(forPath: url.path)
            var bytes = [UInt8](data)
            if type.hasPrefix("text/html") { bytes = StaticSite.inject(LiveReloadScript.tag(version: hub.version), into: bytes) }
            return body(bytes, type: type, status: .ok, head: head)
        case .redirect(let location):
            let query = request.target.query()
            let headers: HTTPHeaders = [.location: location + (query.isEmpty ? "" : "?" + query), .cacheControl: "no-store"]
            return HTTPResponse(statusCode: .movedPermanently, headers: headers)
        case .forbidden:
            return body(Array("403 Forbidden\n".utf8), type: "text/plain; charset=utf-8", status: .forbidden, head: head)
        case .notFound:
            return await notFound(head: head)
        }
    }

    func notFound(head: Bool) async -> HTTPResponse {
        if case .file(let url) = site.resolve(rawPath: "/404.html"), let data = FileManager.default.contents(atPath: url.path) {
            let bytes = StaticSite.inject(LiveReloadScript.tag(version: hub.version), into: [UInt8](data))
            return body(bytes, type: "text/html; charset=utf-8", status: .notFound, head: head)
        }
        // No site yet (the first build failed): a page that still shows the error and recovers.
        let page = "<!DOCTYPE html><meta charset=\"utf-8\"><title>404</title><p>404: not found.</p>"
            + LiveReloadScript.tag(version: hub.version)
        return body(Array(page.utf8), type: "text/html; charset=utf-8", status: .notFound, head: head)
    }

    func body(_ bytes: [UInt8], type: String, status: HTTPStatusCode, head: Bool) -> HTTPResponse {
        var headers: HTTPHeaders = [.contentType: type, .cacheControl: "no-store", HTTPHeader("X-Content-Type-Options"): "nosniff"]
        if head {
            headers[.contentLength] = String(bytes.count)
            return HTTPResponse(statusCode: status, headers: headers)
        }
        return HTTPResponse(statusCode: status, headers: headers, body: Data(bytes))
    }
}

struct PreviewHandler: HTTPHandler {
    let owner: PreviewServer
    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        await owner.respond(request)
    }
}

public struct ServeError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

extension PreviewServer {
    /// Runs until SIGINT (Ctrl-C) or SIGTERM, then stops cleanly. For the command line.
    public static func runUntilInterrupted(options: Options, log: @escaping @Sendable (String) -> Void) throws {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let finished = DispatchSemaphore(value: 0)
        let failure = Failure()
        let server = PreviewServer(options: options, log: log)
        var sources: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler {
                log("\nStopping…")
                Task {
                    await server.stop()
                    finished.signal()
                }
            }
            s.resume()
            sources.append(s)
        }
        Task {
            do {
                try await server.start()
                log("Ready at \(server.url): watching \(options.build.content.lastPathComponent)/ and \(options.build.templates.lastPathComponent)/ (\(server.watchMechanism)); open pages reload by themselves. Press Ctrl-C to stop.")
                if !(options.host.hasPrefix("127.") || options.host == "::1" || options.host == "localhost") {
                    log("warning: --host \(options.host) makes the preview reachable from other machines.")
                }
                log("Note: the preview is built with base URL \(options.build.baseURL ?? "/"); run `sitegen build` before deploying.")
            } catch {
                failure.set(error)
                await server.stop()
                finished.signal()
            }
        }
        finished.wait()
        for s in sources { s.cancel() }
        if let e = failure.get() { throw e }
    }

    final class Failure: @unchecked Sendable {
        private let lock = NSLock()
        private var error: (any Error)?
        func set(_ e: any Error) { lock.withLock { error = e } }
        func get() -> (any Error)? { lock.withLock { error } }
    }
}
