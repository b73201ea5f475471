import Foundation

/// What the last build read from each article's front matter, by file path and content hash,
/// so that an unchanged file is not split and parsed again. Reading front matter (the fence
/// split, Yams, the field checks) was 9% of a one-article rebuild's CPU at 10,000 articles,
/// about 0.6 s of wall time on two cores; looking an article up here costs a hash lookup.
///
/// An entry is trusted only for the same path and the same bytes (the article's content hash),
/// and only by the sitegen binary that wrote it (the loader's rules may differ in another one).
/// Files with errors are never recorded, so their errors are reported by every build.
public final class FrontMatterMemo: @unchecked Sendable {
    struct Entry: Equatable {
        var meta: ArticleMeta
        var bodyStartLine: Int
        /// UTF-8 offset of the body in the file's text after a BOM is dropped and line breaks are
        /// made `\n` (what `ArticleLoader` splits).
        var bodyOffset: Int
    }

    static let magic: [UInt8] = Array("SGFM".utf8)
    static let formatVersion: UInt64 = 1

    /// Where the memo is kept; nil: memory only (nothing read or saved).
    let file: String?
    private let lock = NSLock()
    private var previous: [UInt64: Entry]
    /// The entries of this build's articles (looked up or recorded): what `save` keeps.
    private var current: [UInt64: Entry] = [:]
    private var recorded = 0
    private var hits = 0

    /// Reads `file` when it was written by this sitegen binary; anything else starts empty.
    public init(file: String?) {
        self.file = file
        previous = file.flatMap(Self.read) ?? [:]
    }

    /// `<cache folder>/front-matter.bin`.
    public convenience init(cacheDirectory: URL) {
        self.init(file: cacheDirectory.standardizedFileURL.path + "/front-matter.bin")
    }

    static func key(path: String, contentHash: UInt64) -> UInt64 {
        var h = StableHash()
        h.combine(path)
        h.combine(StableHash.hex(contentHash))
        return h.value
    }

    /// The remembered entry for this path and content, with `body(entry)`; nil (nothing taken)
    /// when there is none or `body` refuses it.
    func lookup(path: String, contentHash: UInt64, body: (Entry) -> String?) -> (entry: Entry, body: String)? {
        let key = Self.key(path: path, contentHash: contentHash)
        guard let e = lock.withLock({ previous[key] ?? current[key] }), let text = body(e) else { return nil }
        lock.withLock {
            current[key] = e
            hits += 1
        }
        return (e, text)
    }

    func record(path: String, contentHash: UInt64, _ entry: Entry) {
        let key = Self.key(path: path, contentHash: contentHash)
        lock.withLock {
            current[key] = entry
            recorded += 1
        }
    }

    /// Articles taken from the memo and articles whose front matter was parsed, since it was made.
    public var counts: (hits: Int, parsed: Int) { lock.withLock { (hits, recorded) } }

    /// Writes this build's entries (only when they differ from what was read), so the memo never
    /// grows beyond the articles there are. A memo that cannot be written only makes the next
    /// build slower.
    public func save() {
        guard let file else { return }
        let entries = lock.withLock { () -> [UInt64: Entry]? in
            current.count == previous.count && recorded == 0 ? nil : current
        }
        guard let entries else { return }
        var w = CacheWriter()
        w.raw(Self.magic)
        w.u64(Self.formatVersion)
        w.string(ArticleCache.binaryFingerprint)
        w.int(entries.count)
        for (key, e) in entries {
            w.u64(key)
            w.string(e.meta.slug); w.string(e.meta.title)
            w.int(e.meta.date.year); w.int(e.meta.date.month); w.int(e.meta.date.day)
            w.optString(e.meta.source); w.optString(e.meta.sourceURL)
            w.strings(e.meta.authors); w.optString(e.meta.summary); w.strings(e.meta.tags)
            w.int(e.bodyStartLine); w.int(e.bodyOffset)
        }
        OutputWriter.writeAtomically(w.bytes, to: URL(fileURLWithPath: file))
    }

    static func read(_ file: String) -> [UInt64: Entry]? {
        guard let bytes = FileBytes.contents(of: file) else { return nil }
        var r = CacheReader(bytes: bytes)
        do throws(CacheReader.Invalid) {
            guard try r.raw(magic.count) == magic, try r.u64() == formatVersion,
                  try r.string() == ArticleCache.binaryFingerprint else { return nil }
            let n = try r.count()
            var out: [UInt64: Entry] = [:]
            out.reserveCapacity(n)
            for _ in 0..<n {
                let key = try r.u64()
                let slug = try r.string(), title = try r.string()
                let date = CivilDate(year: try r.int(), month: try r.int(), day: try r.int())
                let meta = ArticleMeta(slug: slug, title: title, date: date, source: try r.optString(), sourceURL: try r.optString(),
                                       authors: try r.strings(), summary: try r.optString(), tags: try r.strings())
                let line = try r.int(), offset = try r.int()
                guard line >= 1, offset >= 0 else { return nil }
                out[key] = Entry(meta: meta, bodyStartLine: line, bodyOffset: offset)
            }
            return r.atEnd ? out : nil
        } catch {
            return nil
        }
    }
}
