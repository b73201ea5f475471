import Foundation

/// The no-op build. A build is a pure function of the content folder, the templates folder, the
/// options and the sitegen binary; when all of those hash to what the last successful build saw
/// and the output folder still holds exactly the files that build wrote (same paths, sizes,
/// modification times and inodes, nothing added), building again could only produce the same
/// bytes, so nothing is loaded, rendered or written. On the 10,000-article corpus this turns a
/// rebuild of every stage into reading and hashing the inputs.
struct BuildFingerprint {
    var value: UInt64

    /// What the last build reported, so a skipped build can say the same.
    struct Record {
        var fingerprint: UInt64
        var articles: Int, entities: Int, events: Int, pages: Int
        var perArticle: [(slug: String, count: Int)]
    }

    /// Hash of every input of a build; nil when a folder cannot be read (then the build runs and
    /// reports the problem itself).
    static func of(_ options: SiteBuilder.Options) -> BuildFingerprint? {
        var h = StableHash()
        h.combine("sitegen-build")
        h.combine(ArticleCache.binaryFingerprint)
        h.combine(options.baseURL ?? "\u{1}")
        h.combine(options.keepGoing ? "keep-going" : "strict")
        h.combine(options.output.standardizedFileURL.path)
        for folder in [options.content, options.templates] {
            h.combine(folder.standardizedFileURL.path)
            guard let files = regularFiles(below: folder) else { return nil }
            for (path, full) in files {
                guard let bytes = FileBytes.contents(of: full) else { return nil }
                h.combine(path)
                h.combine(String(ContentDigest.of(bytes), radix: 16))
            }
        }
        return BuildFingerprint(value: h.value)
    }

    /// Relative path → full path of every regular file below `dir`, sorted; nil if unreadable.
    /// Anything that is not a regular file or folder (a pipe, a device) makes the fingerprint
    /// unknown, so the full build runs and reports it.
    static func regularFiles(below dir: URL) -> [(String, String)]? {
        var kinds: [String: OutputWriter.Kind] = [:]
        guard FileManager.default.fileExists(atPath: dir.path) else { return nil }
        OutputWriter.walk(dir, prefix: "", into: &kinds)
        if kinds.values.contains(.other) { return nil }
        return kinds.filter { $0.value == .file }.keys.sorted().map { ($0, dir.path + "/" + $0) }
    }

    /// The number of files in `output` when it holds exactly the files of `manifest`, untouched
    /// since they were written; nil otherwise.
    static func intactFileCount(_ output: URL, manifest: URL) -> Int? {
        guard let entries = OutputWriter.readManifest(manifest), !entries.isEmpty else { return nil }
        var kinds: [String: OutputWriter.Kind] = [:]
        OutputWriter.walk(output, prefix: "", into: &kinds)
        let files = kinds.filter { $0.value != .directory }
        guard files.count == entries.count else { return nil }
        // Plain string paths: a URL per file was a third of a no-op build's time at 162,000 files.
        let root = output.path + "/"
        for (path, kind) in files {
            guard kind == .file, let e = entries[path],
                  let st = OutputWriter.stat(root + path),
                  st.size == e.size, st.mtime == e.mtime, st.inode == e.inode else { return nil }
        }
        return entries.count
    }

    // MARK: the record file

    static let magic: [UInt8] = Array("SGBF1".utf8)

    static func read(_ url: URL) -> Record? {
        guard let bytes = FileBytes.contents(of: url.path) else { return nil }
        var r = CacheReader(bytes: bytes)
        do {
            guard try r.raw(magic.count) == magic else { return nil }
            let fingerprint = try r.u64()
            let articles = try r.int(), entities = try r.int(), events = try r.int(), pages = try r.int()
            var perArticle: [(String, Int)] = []
            for _ in 0..<(try r.count()) { perArticle.append((try r.string(), try r.int())) }
            return Record(fingerprint: fingerprint, articles: articles, entities: entities, events: events, pages: pages,
                          perArticle: perArticle.map { (slug: $0.0, count: $0.1) })
        } catch {
            return nil
        }
    }

    static func write(_ record: Record, to url: URL) {
        var w = CacheWriter()
        w.raw(magic)
        w.u64(record.fingerprint)
        for n in [record.articles, record.entities, record.events, record.pages, record.perArticle.count] { w.int(n) }
        for (slug, count) in record.perArticle { w.string(slug); w.int(count) }
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = FileBytes.write(w.bytes, to: url.path)
    }
}
