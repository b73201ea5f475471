import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Incremental builds: the parse and extraction results of each article, so that an unchanged
/// article is not parsed or read for events again.
///
/// An entry is valid for one exact input: the article's path (it gives the slug) and content hash,
/// the date engine's version, the entity catalogue (entities change extraction), this cache's
/// format, and the build of sitegen itself (any rebuilt binary starts cold, so a change to the
/// parser or extractor can never be hidden by stale results). Entries live in memory for the life
/// of the value (so `sitegen serve` reuses them from one rebuild to the next) and, when a
/// directory is given, one small binary file per article in `<directory>/articles/`, written
/// atomically (temp file + rename); an unreadable or foreign file is a miss, never an error.
public final class ArticleCache: @unchecked Sendable {
    /// Bump when the on-disk layout below changes.
    public static let formatVersion: UInt64 = 4

    public struct Stats: Sendable, Equatable {
        public var hits: Int
        public var misses: Int
        public init(hits: Int = 0, misses: Int = 0) {
            self.hits = hits
            self.misses = misses
        }
    }

    struct Entry {
        var key: UInt64
        var html: String
        var blocks: [TextBlock]
        var sectionTitles: [String]
        var events: [ExtractedEvent]
        /// Dated statements that did not become events (for the review page).
        var skipped: [SkippedStatement] = []
    }

    /// `nil`: memory only.
    public let directory: URL?
    /// `<directory>/articles`, where the entries are.
    private let entriesFolder: String?
    private let lock = NSLock()
    private var memory: [String: Entry] = [:]
    /// Whether `<directory>/articles/` was made by this value already.
    private var madeFolder = false
    private var _stats = Stats()

    /// Whether entries stay in memory after they are read or stored: what a long-lived process
    /// (`sitegen serve`) wants, and wasted memory for one build (the whole corpus's parse and
    /// extraction results, about 100 MB at 10,000 articles, held to the end of the process).
    public let keepsEntries: Bool

    public init(directory: URL?, keepsEntries: Bool = true) {
        self.directory = directory?.standardizedFileURL
        entriesFolder = self.directory.map { $0.path + "/articles" }
        self.keepsEntries = keepsEntries
    }

    /// Hits and misses since the last `resetStats()`.
    public var stats: Stats { lock.withLock { _stats } }
    public func resetStats() { lock.withLock { _stats = Stats() } }

    /// `.sitegen-cache/` beside the content folder.
    public static func defaultDirectory(for content: URL) -> URL {
        content.standardizedFileURL.deletingLastPathComponent().appendingPathComponent(".sitegen-cache")
    }

    // MARK: keys

    /// What every entry of one build shares: format, engine, sitegen binary and entity catalogue.
    public static func salt(entities: [Entity]) -> UInt64 {
        var h = StableHash()
        h.combine("sitegen-article-cache")
        h.combine(String(formatVersion))
        h.combine(String(TemporalRecognizer.engineVersion))
        h.combine(binaryFingerprint)
        for e in entities {
            h.combine(e.id); h.combine(e.name); h.combine(e.kind.rawValue)
            h.combine(e.aliases.joined(separator: "\u{1}")); h.combine(e.parent ?? "\u{2}"); h.combine(e.description ?? "\u{2}")
        }
        return h.value
    }

    /// Identifies the running executable (size and modification time), so that a rebuilt sitegen
    /// never trusts results computed by an older one.
    static let binaryFingerprint: String = {
        #if os(Linux)
        let path = "/proc/self/exe"
        #else
        let path = Bundle.main.executablePath ?? CommandLine.arguments[0]
        #endif
        var st = stat()
        guard stat(path, &st) == 0 else { return "unknown-\(ProcessInfo.processInfo.processIdentifier)" }
        #if canImport(Darwin)
        let mtime = Int64(st.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(st.st_mtimespec.tv_nsec)
        #else
        let mtime = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        #endif
        return "\(st.st_size)|\(mtime)|\(st.st_ino)"
    }()

    static func key(_ source: ArticleSource, salt: UInt64) -> UInt64 {
        var h = StableHash()
        h.combine(StableHash.hex(salt))
        h.combine(source.path)
        h.combine(StableHash.hex(source.contentHash))
        return h.value
    }

    /// Where the entry of the article at `path` is kept. Plain strings: `URL.appendingPathComponent`
    /// asks the file system whether each name is a folder (a stat per call, three per article).
    func filePath(for path: String) -> String? {
        entriesFolder.map { $0 + "/" + Self.fileName(for: path) }
    }

    static func fileName(for path: String) -> String { StableHash.hex(StableHash.of(path)) + ".bin" }

    // MARK: lookup and store

    /// The cached results for `source`, or nil (counted as a miss). `withText: false` leaves the
    /// blocks' plain text and the section titles empty: only extraction reads them, and a cached
    /// article is not extracted again (a build that writes the site drops them at once; decoding
    /// them was a third of reading the cache at 10,000 articles).
    public func lookup(_ source: ArticleSource, salt: UInt64, withText: Bool = true) -> (ParsedArticle, [ExtractedEvent], [SkippedStatement])? {
        let key = Self.key(source, salt: salt)
        var entry = lock.withLock { memory[source.path] }
        if entry?.key != key, let file = filePath(for: source.path), let loaded = Self.readEntry(file, expecting: key, withText: withText) {
            entry = loaded
            // Only whole entries are kept for later lookups, which may want the text.
            if keepsEntries && withText { lock.withLock { memory[source.path] = loaded } }
        }
        guard let e = entry, e.key == key else {
            lock.withLock { _stats.misses += 1 }
            return nil
        }
        lock.withLock { _stats.hits += 1 }
        return (ParsedArticle(source: source, html: e.html, blocks: e.blocks, sectionTitles: e.sectionTitles), e.events, e.skipped)
    }

    /// Remembers the results for `parsed.source`, in memory and (if there is a directory) on disk.
    public func store(_ parsed: ParsedArticle, events: [ExtractedEvent], skipped: [SkippedStatement] = [], salt: UInt64) {
        let entry = Entry(key: Self.key(parsed.source, salt: salt), html: parsed.html, blocks: parsed.blocks,
                          sectionTitles: parsed.sectionTitles, events: events, skipped: skipped)
        if keepsEntries { lock.withLock { memory[parsed.source.path] = entry } }
        guard let folder = entriesFolder else { return }
        let name = Self.fileName(for: parsed.source.path)
        if lock.withLock({ !madeFolder }) {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            lock.withLock { madeFolder = true }
        }
        let tmp = folder + "/.\(name).\(ProcessInfo.processInfo.processIdentifier).tmp"
        var w = CacheWriter()
        Self.encode(entry, into: &w)
        // A cache that cannot be written only makes the next build slower. Plain POSIX writes:
        // FileManager.createFile took 30 s for the 10,000 entries of a cold build.
        if FileBytes.write(w.bytes, to: tmp), rename(tmp, folder + "/" + name) != 0 { unlink(tmp) }
    }

    /// Forgets the entries of articles that no longer exist (memory and disk).
    public func prune(keeping paths: Set<String>) {
        lock.withLock { memory = memory.filter { paths.contains($0.key) } }
        guard let dir = entriesFolder, let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
        let keep = Set(paths.map(Self.fileName(for:)))
        for name in names where !keep.contains(name) {
            try? FileManager.default.removeItem(atPath: dir + "/" + name)
        }
    }

    // MARK: binary format

    static let magic: [UInt8] = Array("SGAC".utf8)

    static func readEntry(_ file: String, expecting key: UInt64, withText: Bool = true) -> Entry? {
        guard let bytes = FileBytes.contents(of: file) else { return nil }
        var r = CacheReader(bytes: bytes)
        return try? decode(&r, expecting: key, withText: withText)
    }

    static func encode(_ e: Entry, into w: inout CacheWriter) {
        w.raw(magic)
        w.u64(formatVersion)
        w.u64(e.key)
        w.string(e.html)
        w.int(e.blocks.count)
        for b in e.blocks {
            w.int(b.index); w.string(b.kind.rawValue); w.int(b.headingLevel); w.string(b.text); w.int(b.line)
            w.optString(b.htmlSourcePos); w.int(b.section)
        }
        w.strings(e.sectionTitles)
        w.int(e.events.count)
        for ev in e.events { encode(ev, into: &w) }
        w.int(e.skipped.count)
        for k in e.skipped {
            w.string(k.articleSlug); w.int(k.line); w.int(k.blockIndex); w.string(k.text); w.optString(k.dateText); w.string(k.reason.rawValue)
        }
        w.raw(magic)
    }

    static func decode(_ r: inout CacheReader, expecting key: UInt64, withText: Bool = true) throws(CacheReader.Invalid) -> Entry {
        guard try r.raw(magic.count) == magic, try r.u64() == formatVersion, try r.u64() == key else { throw .init() }
        let html = try r.string()
        var blocks: [TextBlock] = []
        for _ in 0..<(try r.count()) {
            let index = try r.int()
            guard let kind = TextBlock.Kind(rawValue: try r.string()) else { throw .init() }
            let level = try r.int()
            let text = withText ? try r.string() : try r.skipString()
            blocks.append(TextBlock(index: index, kind: kind, headingLevel: level, text: text, line: try r.int(),
                                    htmlSourcePos: try r.optString(), section: try r.int()))
        }
        var titles: [String] = []
        if withText {
            titles = try r.strings()
        } else {
            for _ in 0..<(try r.count()) { _ = try r.skipString() }
        }
        var events: [ExtractedEvent] = []
        for _ in 0..<(try r.count()) { events.append(try decodeEvent(&r)) }
        var skipped: [SkippedStatement] = []
        for _ in 0..<(try r.count()) {
            let slug = try r.string(), line = try r.int(), block = try r.int(), text = try r.string(), date = try r.optString()
            guard let reason = SkippedStatement.Reason(rawValue: try r.string()) else { throw .init() }
            skipped.append(SkippedStatement(articleSlug: slug, line: line, blockIndex: block, text: text, dateText: date, reason: reason))
        }
        guard try r.raw(magic.count) == magic, r.atEnd else { throw .init() }
        return Entry(key: key, html: html, blocks: blocks, sectionTitles: titles, events: events, skipped: skipped)
    }

    static func encode(_ ev: ExtractedEvent, into w: inout CacheWriter) {
        let d = ev.date
        w.string(d.text); w.int(d.range.lowerBound); w.int(d.range.upperBound); w.string(d.value.string)
        w.optString(d.mod?.rawValue); w.optString(d.end?.string); w.optString(d.endMod?.rawValue)
        w.optString(d.anchor?.rawValue); w.bool(d.isRelative); w.string(d.role.rawValue); w.bool(d.isFutureReading)
        w.string(ev.headline); w.strings(ev.entities); w.optString(ev.kind?.rawValue)
        w.bool(ev.isForecast); w.bool(ev.isFollowUp)
        let s = ev.source
        w.string(s.articleSlug); w.string(s.quote); w.int(s.blockIndex); w.int(s.line); w.string(s.key)
        w.optString(s.actorSentence)
        w.strings(ev.carriedEntities); w.strings(ev.mentions)
        w.int(ev.provisionalEntities.count)
        for e in ev.provisionalEntities { w.string(e.id); w.string(e.name); w.string(e.kind.rawValue) }
    }

    static func decodeEvent(_ r: inout CacheReader) throws(CacheReader.Invalid) -> ExtractedEvent {
        func value(_ s: String?) throws(CacheReader.Invalid) -> TemporalValue? {
            guard let s else { return nil }
            guard let v = TemporalValue(string: s) else { throw .init() }
            return v
        }
        func raw<T: RawRepresentable>(_ s: String?, _: T.Type) throws(CacheReader.Invalid) -> T? where T.RawValue == String {
            guard let s else { return nil }
            guard let v = T(rawValue: s) else { throw .init() }
            return v
        }
        let text = try r.string()
        let lo = try r.int(), hi = try r.int()
        guard lo <= hi, let v = try value(try r.string()) else { throw .init() }
        let date = TemporalExpression(text: text, range: lo..<hi, value: v, mod: try raw(try r.optString(), TemporalModifier.self),
                                      end: try value(try r.optString()), endMod: try raw(try r.optString(), TemporalModifier.self),
                                      anchor: try raw(try r.optString(), TemporalAnchor.self), isRelative: try r.bool(),
                                      role: try raw(try r.string(), TemporalRole.self) ?? .event,
                                      isFutureReading: try r.bool())
        let headline = try r.string()
        let entities = try r.strings()
        let kind = try raw(try r.optString(), EventKind.self)
        let forecast = try r.bool(), followUp = try r.bool()
        var source = EventSource(articleSlug: try r.string(), quote: try r.string(), blockIndex: try r.int(),
                                 line: try r.int(), key: try r.string())
        source.actorSentence = try r.optString()
        var event = ExtractedEvent(date: date, headline: headline, entities: entities, kind: kind, isForecast: forecast,
                                   isFollowUp: followUp, source: source)
        event.carriedEntities = try r.strings()
        event.mentions = try r.strings()
        for _ in 0..<(try r.count()) {
            let id = try r.string(), name = try r.string()
            guard let kind = EntityKind(rawValue: try r.string()) else { throw .init() }
            var e = Entity(id: id, name: name, kind: kind)
            e.isProvisional = true
            event.provisionalEntities.append(e)
        }
        return event
    }
}

/// Little-endian, length-prefixed binary writer for the cache files.
struct CacheWriter {
    var bytes: [UInt8] = []

    mutating func raw(_ b: [UInt8]) { bytes += b }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func int(_ v: Int) { u64(UInt64(bitPattern: Int64(v))) }
    mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }
    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { buf in
            u64(UInt64(buf.count))
            bytes.append(contentsOf: buf)
        }
    }
    mutating func optString(_ s: String?) {
        if let s { bytes.append(1); string(s) } else { bytes.append(0) }
    }
    mutating func strings(_ a: [String]) {
        int(a.count)
        for s in a { string(s) }
    }
}

/// Reads what `CacheWriter` wrote; any inconsistency throws, and the entry is then a miss.
struct CacheReader {
    struct Invalid: Error {}
    let bytes: [UInt8]
    var pos = 0

    var atEnd: Bool { pos == bytes.count }

    mutating func raw(_ n: Int) throws(Invalid) -> [UInt8] {
        guard n >= 0, n <= bytes.count - pos else { throw Invalid() }
        defer { pos += n }
        return Array(bytes[pos..<(pos + n)])
    }
    mutating func u64() throws(Invalid) -> UInt64 {
        guard bytes.count - pos >= 8 else { throw Invalid() }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[pos + i]) << (8 * UInt64(i)) }
        pos += 8
        return v
    }
    mutating func int() throws(Invalid) -> Int { Int(Int64(bitPattern: try u64())) }
    /// An element count, sanity-checked against the bytes left (every element takes at least one).
    mutating func count() throws(Invalid) -> Int {
        let n = try int()
        guard n >= 0, n <= bytes.count - pos else { throw Invalid() }
        return n
    }
    mutating func bool() throws(Invalid) -> Bool {
        guard pos < bytes.count, bytes[pos] <= 1 else { throw Invalid() }
        defer { pos += 1 }
        return bytes[pos] == 1
    }
    mutating func string() throws(Invalid) -> String {
        let n = try count()
        let s = bytes[pos..<(pos + n)]
        pos += n
        guard let str = String(validating: s, as: UTF8.self) else { throw Invalid() }
        return str
    }
    /// Steps over a string (its length still checked), returning "".
    mutating func skipString() throws(Invalid) -> String {
        pos += try count()
        return ""
    }
    mutating func optString() throws(Invalid) -> String? {
        try bool() ? try string() : nil
    }
    mutating func strings() throws(Invalid) -> [String] {
        var out: [String] = []
        for _ in 0..<(try count()) { out.append(try string()) }
        return out
    }
}
