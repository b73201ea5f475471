import Foundation

/// The whole pipeline, top to bottom: load → parse → extract → graph → render → write.
/// Each stage is a plain function of the previous stage's values; this type only sequences them
/// and times each step.
public struct SiteBuilder {
    public struct Options: Sendable {
        public var content: URL
        public var templates: URL
        public var output: URL
        public var baseURL: String?
        /// Where per-article parse and extraction results (and the output manifest) are kept between
        /// builds, normally `.sitegen-cache/` beside content/ (`ArticleCache.defaultDirectory`);
        /// nil: a cold build that reuses nothing from earlier processes.
        public var cacheDirectory: URL?
        /// `--keep-going`: leave out bad articles, entity definitions and overrides (listed in
        /// `Report.skipped`) and build the rest; template and whole-file errors still fail.
        public var keepGoing: Bool

        public init(content: URL, templates: URL, output: URL, baseURL: String? = nil, cacheDirectory: URL? = nil,
                    keepGoing: Bool = false) {
            self.content = content
            self.templates = templates
            self.output = output
            self.baseURL = baseURL
            self.cacheDirectory = cacheDirectory
            self.keepGoing = keepGoing
        }
    }

    public struct Report: Sendable {
        public var articles: Int
        public var entities: Int
        public var events: Int
        public var extractedPerArticle: [(slug: String, count: Int)]
        public var files: Int
        public var timings: [(stage: String, seconds: Double)]
        public var warnings: [Diagnostic]
        /// With `keepGoing`: what was left out, each with its error (as a warning).
        public var skipped: [Diagnostic] = []
        /// Articles whose parse and extraction came from the cache, and those computed afresh.
        public var cache: ArticleCache.Stats
        /// What the write changed in the output folder.
        public var write: WriteSummary
    }

    /// Everything a build computes before writing, for tests and other commands.
    public struct Result: Sendable {
        public var content: SiteContent
        public var parsed: [ParsedArticle]
        public var extracted: [[ExtractedEvent]]
        public var graph: EventGraph
        public var files: [OutputFile]
        public var cache: ArticleCache.Stats
    }

    public var options: Options
    public var log: @Sendable (String) -> Void
    /// The article cache; when nil, one is made per run from `options.cacheDirectory` (if set).
    /// A long-lived process (`sitegen serve`) sets it once so the entries stay in memory.
    public var cache: ArticleCache?

    public init(options: Options, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.options = options
        self.log = log
        self.cache = nil
    }

    /// Where the output manifest lives: in the cache folder, one per output folder.
    var manifestURL: URL? {
        options.cacheDirectory.map {
            $0.appendingPathComponent("outputs").appendingPathComponent(StableHash.hex(StableHash.of(options.output.standardizedFileURL.path)) + ".manifest")
        }
    }

    /// What the stages before render produce: the input of render.
    struct Prepared {
        var content: SiteContent
        var templates: TemplateSet
        var parsed: [ParsedArticle]
        /// Each article's statements; empty after a writing build's prepare (see `extractedCounts`).
        var extracted: [[ExtractedEvent]]
        /// How many statements each article gave, in the order of `parsed`.
        var extractedCounts: [Int]
        var skipped: [SkippedStatement]
        var unmatchedOverrides: [Diagnostic]
        var graph: EventGraph
        var cache: ArticleCache.Stats

        /// A renderer indexes the whole site when made (0.2 s at 10,000 articles): make one per build.
        func makeRenderer() -> SiteRenderer {
            SiteRenderer(config: content.config, graph: graph, articles: parsed, templates: templates)
        }
    }

    /// Runs every stage but the write, keeping every rendered file in memory (tests, other commands).
    public func run(timings: inout [(String, Double)]) throws(BuildFailure) -> Result {
        let p = try prepare(timings: &timings)
        let t0 = DispatchTime.now().uptimeNanoseconds
        let renderer = p.makeRenderer()
        let files = renderer.render() + renderer.reviewPages(skipped: p.skipped, unmatchedOverrides: p.unmatchedOverrides)
        timings.append(("render", Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9))
        return Result(content: p.content, parsed: p.parsed, extracted: p.extracted, graph: p.graph, files: files, cache: p.cache)
    }

    /// load → parse → extract → graph.
    /// `keepText: false` (a build that writes the site) lets go of text as soon as no later stage
    /// reads it: the Markdown once parsed, the blocks' plain text once events are extracted and
    /// cached. Other commands (check, events) read it from the result.
    func prepare(timings: inout [(String, Double)], keepText: Bool = true) throws(BuildFailure) -> Prepared {
        func timed<T>(_ name: String, _ body: () throws(BuildFailure) -> T) throws(BuildFailure) -> T {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let v = try body()
            timings.append((name, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9))
            return v
        }
        var content = try timed("load") { () throws(BuildFailure) in
            let memo = options.cacheDirectory.map(FrontMatterMemo.init(cacheDirectory:))
            let loaded = try ContentLoader(contentDirectory: options.content, keepGoing: options.keepGoing, memo: memo).load()
            memo?.save()
            return loaded
        }
        if let base = options.baseURL {
            guard base.hasPrefix("http://") || base.hasPrefix("https://") || base.hasPrefix("/") else {
                throw BuildFailure([Diagnostic(file: "--base-url", message: "'\(base)' is not an http(s) address or a path starting with /")])
            }
            content.config.baseURL = base.hasSuffix("/") ? base : base + "/"
        }
        let templates = try timed("templates") { () throws(BuildFailure) in try TemplateSet(directory: options.templates) }
        // Incremental: articles whose results are cached (same file, engine, entities, binary) are
        // neither parsed nor read for events again.
        // A cache made for this one build reads and writes its files but keeps nothing in memory.
        let cache = self.cache ?? options.cacheDirectory.map { ArticleCache(directory: $0, keepsEntries: false) }
        cache?.resetStats()
        let salt = ArticleCache.salt(entities: content.entities)
        var cachedParsed = [ParsedArticle?](repeating: nil, count: content.articles.count)
        var cachedEvents = [[ExtractedEvent]?](repeating: nil, count: content.articles.count)
        var cachedSkipped = [[SkippedStatement]?](repeating: nil, count: content.articles.count)
        if let cache {
            // Reading the entries is per article: all cores.
            let found = try timed("cache") { () throws(BuildFailure) in
                Parallel.map(content.articles.count) { i in cache.lookup(content.articles[i], salt: salt, withText: keepText) }
            }
            for (i, hit) in found.enumerated() {
                if let (p, e, k) = hit { cachedParsed[i] = p; cachedEvents[i] = e; cachedSkipped[i] = k }
            }
        }
        let parser = MarkdownParser()
        // Parse and extract are per article and pure: all cores.
        var parsed = try timed("parse") { () throws(BuildFailure) in
            Parallel.map(content.articles.count) { i in cachedParsed[i] ?? parser.parse(content.articles[i]) }
        }
        // Emptied so that clearing text below frees it (a shared copy would keep it alive).
        cachedParsed = []
        if !keepText {
            for i in parsed.indices { parsed[i].source.body = "" }
            for i in content.articles.indices { content.articles[i].body = "" }
        }
        let extractor = EventExtractor(entities: content.entities)
        var traced = try timed("extract") { () throws(BuildFailure) in
            Parallel.map(parsed.count) { i -> ([ExtractedEvent], [SkippedStatement]) in
                if let e = cachedEvents[i] { return (e, cachedSkipped[i] ?? []) }
                let r = extractor.extractWithTrace(parsed[i])
                return (r.events, r.skipped)
            }
        }
        var extracted = traced.map(\.0)
        let skipped = traced.flatMap(\.1)
        if let cache {
            let misses = parsed.indices.filter { cachedEvents[$0] == nil }
            _ = try timed("cache write") { () throws(BuildFailure) in
                _ = Parallel.map(misses.count) { k in
                    let i = misses[k]
                    cache.store(parsed[i], events: extracted[i], skipped: traced[i].1, salt: salt)
                }
                cache.prune(keeping: Set(content.articles.map(\.path)))
            }
        }
        traced = []
        cachedEvents = []
        cachedSkipped = []
        let extractedCounts = extracted.map(\.count)
        // All statements in one array for the graph. A writing build empties each article's array
        // as it goes, so the events are held once, not twice (on a large site they are the
        // biggest value before render).
        var all: [ExtractedEvent] = []
        all.reserveCapacity(extractedCounts.reduce(0, +))
        for i in extracted.indices {
            all += extracted[i]
            if !keepText { extracted[i] = [] }
        }
        if !keepText {
            extracted = []
            // Render needs only where each block's HTML is (to anchor events).
            for i in parsed.indices {
                parsed[i].sectionTitles = []
                for b in parsed[i].blocks.indices { parsed[i].blocks[b].text = "" }
            }
            returnFreedMemory()
        }
        // Editors' corrections (content/overrides.yml) apply between extraction and the graph.
        let applied = OverrideApplier(overrides: content.overrides)
            .apply(consume all, articleSlugs: Set(parsed.map(\.meta.slug)))
        content.warnings += applied.unmatched
        let graph = try timed("graph") { () throws(BuildFailure) in
            EventGraph(extracted: applied.events, entities: content.entities,
                       articleDates: Dictionary(content.articles.map { ($0.meta.slug, $0.meta.date) }, uniquingKeysWith: { a, _ in a }),
                       forcedMerges: applied.merges)
        }
        return Prepared(content: content, templates: templates, parsed: parsed, extracted: extracted,
                        extractedCounts: extractedCounts, skipped: skipped,
                        unmatchedOverrides: applied.unmatched, graph: graph,
                        cache: cache?.stats ?? ArticleCache.Stats(misses: content.articles.count))
    }

    /// What every reusable page shares (see `PageKeys`): the sitegen binary, the templates, the
    /// site settings, the whole entity list and the years in the navigation. A change to any of
    /// them renders every page again.
    func pageReuseSeed(_ p: Prepared, renderer: SiteRenderer) -> UInt64 {
        var h = StableHash()
        h.combine("page-reuse-1")
        h.combine(ArticleCache.binaryFingerprint)
        h.combine(String(reflecting: p.content.config))
        h.combine(String(reflecting: p.content.entities))
        h.combine(renderer.graphYears().map(String.init).joined(separator: ","))
        for (path, full) in BuildFingerprint.regularFiles(below: options.templates) ?? [] {
            h.combine(path)
            // An unreadable template cannot match a previous build: nothing is reused.
            h.combine(FileManager.default.contents(atPath: full).map { String(ContentDigest.of(Array($0)), radix: 16) } ?? UUID().uuidString)
        }
        return h.value
    }

    /// Where the record of the last successful build of this output lives (see `BuildFingerprint`).
    var buildRecordURL: URL? { manifestURL.map { $0.deletingPathExtension().appendingPathExtension("build") } }

    /// Builds and writes the site.
    public func build() throws(BuildFailure) -> Report {
        var timings: [(String, Double)] = []
        let t00 = DispatchTime.now().uptimeNanoseconds
        // Nothing changed since the last successful build, and its output is untouched: done.
        let fingerprint = buildRecordURL == nil ? nil : BuildFingerprint.of(options)
        if let fingerprint, let recordURL = buildRecordURL, let manifest = manifestURL,
           let last = BuildFingerprint.read(recordURL), last.fingerprint == fingerprint.value,
           let files = BuildFingerprint.intactFileCount(options.output, manifest: manifest) {
            timings.append(("check", Double(DispatchTime.now().uptimeNanoseconds - t00) / 1e9))
            return Report(articles: last.articles, entities: last.entities, events: last.events,
                          extractedPerArticle: last.perArticle, files: last.pages,
                          timings: timings.map { (stage: $0.0, seconds: $0.1) }, warnings: [],
                          cache: ArticleCache.Stats(hits: last.articles, misses: 0),
                          write: WriteSummary(pages: last.pages, files: files, written: 0, unchanged: files, deleted: 0,
                                              replacedWhole: false))
        }
        if let recordURL = buildRecordURL { try? FileManager.default.removeItem(at: recordURL) }
        // Opening the stage reads the current output, the spare copy, the manifest and the page
        // keys: 1.1 s of one core for a 10,000-article site, and it needs nothing from the stages
        // before render, so it runs beside them (the graph stage leaves the other core idle).
        let writer = OutputWriter(output: options.output, protectedFolders: [options.content, options.templates])
        let manifestURL = self.manifestURL
        let opening = BackgroundJob { () -> Swift.Result<OutputStage, Diagnostic> in
            do throws(Diagnostic) {
                return .success(try OutputStage(writer: writer, manifest: manifestURL))
            } catch {
                return .failure(error)
            }
        }
        // The text and the per-article statements are let go during prepare: render needs the graph.
        let result: Prepared
        do { result = try prepare(timings: &timings, keepText: false) } catch {
            if case .success(let stage) = opening.wait() { stage.abandon() }
            throw error
        }
        let perArticle = zip(result.parsed, result.extractedCounts).map { ($0.meta.slug, $1) }
        returnFreedMemory()
        // Render and write run together: each page goes into the staging folder as soon as it is
        // rendered (see `OutputStage`), so the site is never held in memory whole.
        var t0 = DispatchTime.now().uptimeNanoseconds
        let stage: OutputStage
        switch opening.wait() {
        case .success(let opened): stage = opened
        case .failure(let error): throw BuildFailure([error])
        }
        let renderer = result.makeRenderer()
        let seed = pageReuseSeed(result, renderer: renderer)
        let keys = PageKeys(renderer, seed: seed)
        let pages = renderer.render(emit: stage.add, reuse: stage, keys: keys).count
        let review = renderer.reviewPages(skipped: result.skipped, unmatchedOverrides: result.unmatchedOverrides,
                                          reuse: stage, keys: keys)
        stage.add(review.files)
        do { try writer.finishSite(stage, assetsFrom: options.templates.appendingPathComponent("assets")) } catch {
            stage.abandon()
            throw BuildFailure([error])
        }
        timings.append(("render", Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9))
        t0 = DispatchTime.now().uptimeNanoseconds
        var summary: WriteSummary
        do { summary = try stage.commit(manifest: manifestURL) } catch { throw BuildFailure([error]) }
        summary.pages = pages + review.count
        timings.append(("write", Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9))
        // Only a clean build may be repeated by doing nothing: warnings and skipped files must be
        // reported again by the next build.
        if let fingerprint, let recordURL = buildRecordURL, result.content.warnings.isEmpty, result.content.skipped.isEmpty {
            BuildFingerprint.write(.init(fingerprint: fingerprint.value, articles: result.content.articles.count,
                                         entities: result.content.entities.count, events: result.graph.events.count,
                                         pages: summary.pages,
                                         perArticle: perArticle),
                                   to: recordURL)
        }
        let report = Report(articles: result.content.articles.count, entities: result.content.entities.count,
                            events: result.graph.events.count,
                            extractedPerArticle: perArticle.map { (slug: $0.0, count: $0.1) },
                            files: summary.pages, timings: timings.map { (stage: $0.0, seconds: $0.1) },
                            warnings: result.content.warnings, skipped: result.content.skipped, cache: result.cache, write: summary)
        releaseInBackground((consume result, consume stage, consume renderer, consume keys))
        return report
    }
}

#if os(Linux)
@_silgen_name("malloc_trim") private func mallocTrim(_ pad: Int) -> Int32
#endif

/// glibc keeps freed heap pages in its arenas; handing them back keeps the peak of the later stages
/// from stacking on top of what the earlier ones already let go.
func returnFreedMemory() {
    #if os(Linux)
    _ = mallocTrim(0)
    #endif
}
