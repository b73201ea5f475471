import FlyingFox
import FlyingSocks
import Foundation
import SitegenCore

/// The live-reload channel: server-sent events on `/__sitegen/events`.
///
/// Events: `hello` on connect (`{"version", "error"}`: the page reloads if the site changed since
/// it was served, and shows the overlay if the last build failed), `reload` after a build that
/// changed the site or recovered from an error, `builderror` with the diagnostics of a failed
/// build. The hub keeps the state, so a client that connects between two events never misses one.
public final class EventHub: @unchecked Sendable {
    private let lock = NSLock()
    private var clients: [UUID: AsyncStream<[UInt8]>.Continuation] = [:]
    private var _version = 0
    private var _error: String?  // JSON of the last failed build, nil when the last build was good
    private var finished = false

    public init() {}

    /// Bumped by every build that changed the site; pages carry the version they were served at.
    public var version: Int { lock.withLock { _version } }
    public var clientCount: Int { lock.withLock { clients.count } }
    public var hasError: Bool { lock.withLock { _error != nil } }

    public func subscribe() -> AsyncStream<[UInt8]> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .bufferingNewest(64))
        lock.withLock {
            if finished { continuation.finish(); return }
            continuation.yield(Self.frame("hello", #"{"version":\#(_version),"error":\#(_error ?? "null")}"#, retry: 500))
            clients[id] = continuation
        }
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            _ = self.lock.withLock { self.clients.removeValue(forKey: id) }
        }
        return stream
    }

    /// A good build: `changed` says whether its output differs from the previous one.
    public func buildSucceeded(changed: Bool, milliseconds: Double) {
        lock.withLock {
            let recovered = _error != nil
            _error = nil
            guard changed || recovered else { return }
            if changed { _version += 1 }
            send(Self.frame("reload", #"{"version":\#(_version),"ms":\#(Int(milliseconds.rounded()))}"#))
        }
    }

    public func buildFailed(_ diagnostics: [Diagnostic]) {
        let json = Self.errorJSON(diagnostics)
        lock.withLock {
            _error = json
            send(Self.frame("builderror", json))
        }
    }

    /// A comment line: keeps idle connections open and finds dead ones.
    public func keepAlive() {
        lock.withLock { send(Array(": keep-alive\n\n".utf8)) }
    }

    /// Ends every stream (the server is stopping).
    public func finishAll() {
        let all = lock.withLock { () -> [AsyncStream<[UInt8]>.Continuation] in
            finished = true
            defer { clients.removeAll() }
            return Array(clients.values)
        }
        for c in all { c.finish() }
    }

    private func send(_ bytes: [UInt8]) {
        for c in clients.values { c.yield(bytes) }
    }

    static func frame(_ event: String, _ data: String, retry: Int? = nil) -> [UInt8] {
        var s = ""
        if let retry { s += "retry: \(retry)\n" }
        s += "event: \(event)\n"
        for line in data.split(separator: "\n", omittingEmptySubsequences: false) { s += "data: \(line)\n" }
        return Array((s + "\n").utf8)
    }

    /// `{"diagnostics":[{"file","line","column","message","excerpt","hint","severity"}],"text"}` —
    /// one line of JSON; the page shows it as text, never as HTML.
    static func errorJSON(_ diagnostics: [Diagnostic]) -> String {
        let list: [[String: Any]] = diagnostics.map { d in
            var o: [String: Any] = ["file": d.file, "message": d.message, "severity": d.severity.rawValue, "location": d.location]
            if let l = d.line { o["line"] = l }
            if let c = d.column { o["column"] = c }
            if let e = d.excerpt { o["excerpt"] = e }
            if let h = d.hint { o["hint"] = h }
            return o
        }
        let obj: [String: Any] = ["diagnostics": list, "text": diagnostics.map(\.description).joined(separator: "\n")]
        guard let data = try? JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// An `AsyncStream` of SSE frames as the byte sequence FlyingFox streams (chunked) to the client.
struct EventByteSequence: AsyncBufferedSequence, Sendable {
    typealias Element = UInt8
    let stream: AsyncStream<[UInt8]>

    func makeAsyncIterator() -> Iterator { Iterator(base: stream.makeAsyncIterator()) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var base: AsyncStream<[UInt8]>.Iterator
        var pending: [UInt8] = []

        mutating func next() async throws -> UInt8? {
            guard let b = try await nextBuffer(suggested: 1) else { return nil }
            return b.first
        }

        mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
            if pending.isEmpty {
                guard let next = await base.next() else { return nil }
                pending = next
            }
            let n = Swift.max(1, Swift.min(count, pending.count))
            defer { pending.removeFirst(n) }
            return Array(pending[..<n])
        }
    }
}

enum LiveReloadScript {
    static let path = "/__sitegen/live.js"
    static let eventsPath = "/__sitegen/events"

    /// The tag added to HTML responses while serving (never to files on disk). An external script,
    /// so a Content-Security-Policy of `script-src 'self'` still allows it.
    static func tag(version: Int) -> String {
        "<script src=\"\(path)\" data-version=\"\(version)\" defer></script>\n"
    }

    static let source = #"""
    (function () {
      "use strict";
      var me = document.currentScript;
      var served = me ? Number(me.getAttribute("data-version")) : -1;
      var box = null;
      function hide() { if (box) { box.remove(); box = null; } }
      function show(err) {
        hide();
        box = document.createElement("div");
        box.id = "sitegen-error";
        box.setAttribute("role", "alert");
        box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,0,0,.92);color:#fff;" +
          "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2em;white-space:pre-wrap";
        var h = document.createElement("div");
        h.style.cssText = "font-size:18px;font-weight:bold;margin-bottom:1em;color:#ff8a8a";
        h.textContent = "sitegen: build failed — the last good site is still shown underneath; fix the file and it reloads";
        box.appendChild(h);
        (err.diagnostics || []).forEach(function (d) {
          var p = document.createElement("div");
          p.style.marginBottom = "1em";
          var loc = document.createElement("div");
          loc.style.cssText = "color:#ffd479;font-weight:bold";
          loc.textContent = d.location + ": " + d.severity + ": " + d.message;
          p.appendChild(loc);
          if (d.excerpt) { var e = document.createElement("div"); e.textContent = "    | " + d.excerpt; p.appendChild(e); }
          if (d.hint) { var t = document.createElement("div"); t.style.color = "#9fd3ff"; t.textContent = "    = " + d.hint; p.appendChild(t); }
          box.appendChild(p);
        });
        var close = document.createElement("button");
        close.textContent = "×";
        close.setAttribute("aria-label", "close");
        close.style.cssText = "position:fixed;top:1em;right:1em;font-size:20px";
        close.onclick = hide;
        box.appendChild(close);
        document.body.appendChild(box);
      }
      if (!window.EventSource) return;
      var es = new EventSource("/__sitegen/events");
      es.addEventListener("hello", function (e) {
        var d = JSON.parse(e.data);
        if (d.error) { show(d.error); return; }
        hide();
        if (served >= 0 && d.version !== served) location.reload();
      });
      es.addEventListener("reload", function () { location.reload(); });
      es.addEventListener("builderror", function (e) { show(JSON.parse(e.data)); });
    })();
    """#
}
