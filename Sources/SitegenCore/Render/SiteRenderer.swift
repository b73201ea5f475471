import Foundation

/// One file of the built site, path relative to the output folder.
public struct OutputFile: Sendable {
    public var path: String
    /// A file's content: text (written from the String's UTF-8 storage, never copied to a byte
    /// array first), bytes, or a producer that makes the bytes while the file is written.
    ///
    /// Unchecked Sendable for `produced`: a producer reads the renderer (not Sendable) and runs
    /// on the thread that emits its file; both consumers (`OutputStage.add`, and the in-memory
    /// collection of `render()`) run it within that same call.
    enum Storage: @unchecked Sendable { case text(String), bytes([UInt8]), produced(Producer) }
    var storage: Storage

    /// Makes a file's bytes in order into `out`, calling `drain(&out)` now and then (after each
    /// record of a long list); a drain may write out what `out` holds and empty it. This is how
    /// the large exports (up to 200 MB each at 10,000 articles) go to disk in pieces instead of
    /// being held whole.
    public typealias Producer = (_ out: inout [UInt8], _ drain: (inout [UInt8]) -> Void) -> Void

    /// A file whose bytes are made when it is written (see `Producer`).
    public init(path: String, produce: @escaping Producer) {
        self.path = path
        storage = .produced(produce)
    }

    /// The same file with its bytes made, for consumers that keep files in memory.
    public var materialized: OutputFile {
        guard case .produced(let produce) = storage else { return self }
        var out: [UInt8] = []
        produce(&out) { _ in }
        return OutputFile(path: path, bytes: out)
    }

    public init(path: String, text: String) {
        self.path = path
        storage = .text(text)
    }

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        storage = .bytes(bytes)
    }

    /// The file's content as bytes (a copy for text files).
    public var bytes: [UInt8] {
        switch storage {
        case .text(let s): Array(s.utf8)
        case .bytes(let b): b
        case .produced: materialized.bytes
        }
    }

    /// The number of bytes.
    public var count: Int {
        switch storage {
        case .text(let s): s.utf8.count
        case .bytes(let b): b.count
        case .produced: materialized.count
        }
    }

    /// Calls `body` with the content's bytes, without copying them.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        switch storage {
        case .bytes(let b):
            return b.withUnsafeBytes(body)
        case .produced:
            return materialized.withBytes(body)
        case .text(var s):
            // Native Swift strings are contiguous UTF-8; bridged ones are made so once.
            if let r = s.utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return r }
            s.makeContiguousUTF8()
            return s.utf8.withContiguousStorageIfAvailable { body(UnsafeRawBufferPointer($0)) }!
        }
    }
}

/// Lets the render skip pages whose inputs have not changed since the last build; the write
/// stage (`OutputStage`) implements it by keeping the previous file.
public protocol PageReuse: AnyObject, Sendable {
    /// Keeps the last build's file for `path` if it was made from the same `key`; false: render it.
    func reuse(_ path: String, key: UInt64) -> Bool
    /// Adds a page rendered from inputs whose key is `key`.
    func add(_ f: OutputFile, key: UInt64)
    /// Keeps every file the last build made from `key` (a group of files rendered together, all
    /// added with that key) and returns their paths; nil when there were none or any of them
    /// cannot be kept: then the group is rendered.
    func reuseGroup(key: UInt64) -> [String]?
}

/// Stage 5, render: turns the graph and the parsed articles into pages through the templates,
/// plus the data files. Pure: returns files, writes nothing.
public struct SiteRenderer {
    public let config: SiteConfig
    public let graph: EventGraph
    public let articles: [ParsedArticle]
    public let templates: TemplateSet
    let articleBySlug: [String: ParsedArticle]
    /// The years with events, ascending: computed once, since every page's header lists them
    /// (per page it made rendering quadratic in the number of events).
    let yearList: [Int]
    /// Article slug → indices of the events it reports, ascending (so an article page does not scan
    /// every event).
    let eventIndicesByArticle: [String: [Int]]
    /// Header values shared by every page, built once instead of per page.
    let siteContext: [String: Any]
    let yearLinks: [[String: Any]]
    /// Events per year, for headings that count a whole year on a page showing part of it.
    let eventsPerYear: [Int: Int]
    /// The consecutive months from the first event to the last (as year × 12 + month − 1), for the
    /// home page's charts and every entity page's; computed once, not once per chart.
    let siteMonthSpan: (start: Int, count: Int)?
    /// Entity id → slugs of the articles that name it, newest first, for the entities no event
    /// names (their pages list these instead of an empty timeline).
    let mentions: [String: [String]]
    /// Month (year × 12 + month − 1) → indices of the events that happened in it, in order.
    let eventsByMonth: [Int: [Int]]

    public init(config: SiteConfig, graph: EventGraph, articles: [ParsedArticle], templates: TemplateSet) {
        self.config = config
        self.graph = graph
        self.articles = articles.sorted { ($0.meta.date, $0.meta.slug) > ($1.meta.date, $1.meta.slug) }
        self.templates = templates
        articleBySlug = Dictionary(articles.map { ($0.meta.slug, $0) }, uniquingKeysWith: { a, _ in a })
        // One pass reading fields in place: iterating the events by value copied each (retaining
        // all its strings and arrays), 2% of a one-article rebuild's CPU at 10,000 articles.
        var byArticle: [String: [Int]] = [:]
        var perYear: [Int: Int] = [:]
        var firstMonth = Int.max, lastMonth = Int.min
        let events = graph.events
        for i in events.indices {
            for s in events[i].sources where byArticle[s.articleSlug]?.last != i { byArticle[s.articleSlug, default: []].append(i) }
            perYear[events[i].date.year, default: 0] += 1
            let d = events[i].date.firstDay
            firstMonth = min(firstMonth, d.year * 12 + (d.month - 1))
            lastMonth = max(lastMonth, d.year * 12 + (d.month - 1))
        }
        eventIndicesByArticle = byArticle
        eventsPerYear = perYear
        yearList = perYear.keys.sorted()
        let basePath = config.basePath
        siteContext = Self.siteContext(config, url: { Self.url($0, basePath: basePath) })
        yearLinks = yearList.map { ["year": $0, "url": Self.url("years/\($0)/index.html", basePath: basePath)] }
        siteMonthSpan = events.isEmpty ? nil : (firstMonth, lastMonth - firstMonth + 1)
        var byMonth: [Int: [Int]] = [:]
        for i in events.indices where events[i].end == nil && events[i].date.precision <= .month {
            let d = events[i].date.firstDay
            byMonth[d.year * 12 + d.month - 1, default: []].append(i)
        }
        eventsByMonth = byMonth
        let idle = graph.entities.filter { graph.eventsByEntity[$0.id] == nil }
        if idle.isEmpty {
            mentions = [:]
        } else {
            let matcher = EntityMatcher(entities: idle)
            let sorted = self.articles
            let found = Parallel.map(sorted.count) { k in
                matcher.entityIDs(in: Array(SearchRecords.plainText(sorted[k].html).unicodeScalars))
            }
            var m: [String: [String]] = [:]
            for (k, ids) in found.enumerated() { for id in ids { m[id, default: []].append(sorted[k].meta.slug) } }
            mentions = m
        }
    }

    // MARK: URLs

    /// Site-absolute URL of an output path ("years/2024/index.html" → "/years/2024/").
    public func url(_ path: String) -> String { Self.url(path, basePath: config.basePath) }

    static func url(_ path: String, basePath: String) -> String {
        basePath + (path.hasSuffix("index.html") ? String(path.dropLast("index.html".count)) : path)
    }

    public func eventURL(_ id: String) -> String { url(eventPath(id)) }
    public func entityURL(_ id: String) -> String { url("entities/\(id)/index.html") }
    public func articleURL(_ slug: String) -> String { url("articles/\(slug)/index.html") }
    public func yearURL(_ y: Int) -> String { url("years/\(y)/index.html") }

    // MARK: contexts

    /// Mustache treats an empty string as "present"; leave such keys out so `{{#key}}` sections
    /// disappear for empty values.
    func clean(_ d: [String: Any]) -> [String: Any] {
        d.filter { _, v in
            if let s = v as? String { return !s.isEmpty }
            return true
        }
    }

    func page(_ title: String, path: String, description: String? = nil) -> [String: Any] {
        // Head metadata (canonical, Open Graph, JSON-LD): see Render/Exports/PageMetadata.swift.
        var pageInfo: [String: Any] = [
            "title": title, "fullTitle": title == config.title ? title : "\(title) · \(config.title)",
            "description": description ?? config.description, "canonical": absoluteURL(path),
        ]
        pageInfo.merge(pageMetadata(path: path, title: title)) { a, _ in a }
        return ["site": siteContext, "page": pageInfo, "years": yearLinks]
    }

    /// The `site` values every page's header and footer use; the same for every page.
    static func siteContext(_ config: SiteConfig, url: (String) -> String) -> [String: Any] {
        [
            "title": config.title, "description": config.description, "tagline": config.tagline,
            "lang": config.language, "home": url("index.html"), "assets": url("assets/"),
            "nav": config.nav.map { ["title": $0.title, "url": $0.url.hasPrefix("/") ? config.basePath + $0.url.dropFirst() : $0.url] },
            "atomURL": url("atom.xml"), "articlesFeedURL": url("articles.xml"), "jsonFeedURL": url("feed.json"),
            "ogLocale": config.language.replacingOccurrences(of: "-", with: "_"),
        ].filter { _, v in !((v as? String)?.isEmpty ?? false) }
    }

    func graphYears() -> [Int] { yearList }

    func dateText(_ e: TimelineEvent) -> String {
        DateDisplay.text(e.date, mod: e.mod, end: e.end, endMod: e.endMod)
    }

    /// An event's headline in full: the extraction cuts long ones with "…"; the rest is taken
    /// from the quoted sentence, up to the end of its clause.
    func fullHeadline(_ i: Int) -> String {
        let e = graph.events[i]
        guard e.headline.hasSuffix("…") else { return e.headline }
        let stem = String(e.headline.dropLast())
        for s in e.sources {
            guard let r = s.quote.range(of: stem) else { continue }
            let rest = s.quote[r.upperBound...]
            let end = rest.firstIndex { "。；！？\n".contains($0) } ?? rest.endIndex
            return stem + rest[..<end]
        }
        return e.headline
    }

    func entityChip(_ id: String) -> [String: Any]? {
        guard let e = graph.entityByID[id] else { return nil }
        return ["id": e.id, "name": e.name, "url": entityURL(e.id), "kind": e.kind.rawValue, "kindLabel": e.kind.label,
                "provisional": e.isProvisional]
    }

    /// An event as a card or a compact line (the same markup; the reader picks the view): its
    /// sources are numbered citations, one per article (an article quoted twice is one source),
    /// each with its quotes.
    func eventContext(_ index: Int) -> [String: Any] {
        let e = graph.events[index]
        var order: [String] = []
        var quotes: [String: [String]] = [:]
        for s in e.sources where articleBySlug[s.articleSlug] != nil {
            if quotes[s.articleSlug] == nil { order.append(s.articleSlug) }
            if quotes[s.articleSlug]?.contains(s.quote) != true { quotes[s.articleSlug, default: []].append(s.quote) }
        }
        // What a source gives differently (its own date) and where a carried actor was named.
        var ownDate: [String: String] = [:]
        var actorFrom: [String: String] = [:]
        for s in e.sources {
            if let d = s.reportedDate, ownDate[s.articleSlug] == nil { ownDate[s.articleSlug] = DateDisplay.text(d, mod: nil) }
            if let a = s.actorSentence, actorFrom[s.articleSlug] == nil { actorFrom[s.articleSlug] = a }
        }
        let sources: [[String: Any]] = order.enumerated().map { k, slug in
            let a = articleBySlug[slug]!
            let publisher = a.meta.source ?? ""
            return clean(["n": k + 1, "title": a.meta.title, "url": articleURL(slug) + "#e-\(e.id)",
                          "publisher": publisher, "date": a.meta.date.iso,
                          "tip": publisher.isEmpty ? a.meta.date.iso : "\(publisher) · \(a.meta.date.iso)",
                          "quotes": quotes[slug]!.map { ["quote": $0] },
                          "ownDate": ownDate[slug] ?? "", "actorFrom": actorFrom[slug] ?? ""])
        }
        let carried = Set(e.carriedEntities)
        let chips: [[String: Any]] = e.entities.compactMap { id in
            guard var chip = entityChip(id) else { return nil }
            chip["carried"] = carried.contains(id)
            if carried.contains(id) {
                chip["note"] = "承前文：原句未直接点名"
            } else if graph.entityByID[id]?.isProvisional == true {
                chip["note"] = "自动识别，未收录于实体表"
            }
            return chip
        }
        return clean([
            "id": e.id, "url": eventURL(e.id), "dateText": dateText(e), "datetime": DateDisplay.htmlDatetime(e.date),
            "precision": e.date.precision.name, "headline": fullHeadline(index),
            "kind": e.kind?.rawValue ?? "", "kindSlug": e.kind?.slug ?? "", "hasKind": e.kind != nil,
            "forecast": e.isForecast, "showForecast": e.isForecast && e.kind != .forecast,
            "uncertain": e.mod != nil || e.end != nil || e.date.precision > .month,
            "entities": chips, "implied": e.impliedEntities.compactMap(entityChip),
            "mentions": e.mentions.compactMap(entityChip), "hasMentions": !e.mentions.isEmpty,
            "datesDisagree": e.datesDisagree,
            "sources": sources, "sourceCount": sources.count, "hasSources": !sources.isEmpty,
        ])
    }

    /// Events grouped by year, then by month; events of coarser precision (a quarter, a half, a
    /// whole year, a range) form their own group at the head of the year, since they belong to no
    /// single month. Above `collapseAbove` events the months show counts only, each a link (to
    /// the month page, or for the coarse group to `periodsURL`).
    /// `monthQuery`: added to month links (「?kind=release」 keeps a kind page's filter).
    func grouped(_ indices: [Int], collapseAbove limit: Int = .max, monthQuery: String = "",
                 coarseURL: ((Int) -> String?)? = nil) -> [[String: Any]] {
        let collapsed = indices.count > limit
        var years: [Int: [Int: [Int]]] = [:]
        for i in indices {
            let e = graph.events[i]
            let m = isMonthly(e) ? monthOf(e) % 12 + 1 : 0
            let y = isMonthly(e) ? monthOf(e) / 12 : e.date.year
            years[y, default: [:]][m, default: []].append(i)
        }
        return years.keys.sorted().map { y in
            let months = years[y]!
            return [
                "year": y, "yearURL": yearURL(y),
                "count": months.values.reduce(0) { $0 + $1.count },
                "months": months.keys.sorted().map { m in
                    var group: [String: Any] = [
                        "label": m == 0 ? "跨月的事件（季度、半年、全年与时段）" : "\(m)月",
                        "anchor": "y\(y)-m\(CivilDate.pad(m, 2))", "count": months[m]!.count,
                        "collapsed": collapsed,
                        // Event cards under a month heading (h3) take h4 headlines.
                        "nestedEvents": true,
                    ]
                    if m != 0 {
                        group["monthURL"] = monthURL(y, m) + monthQuery
                    } else if let u = coarseURL?(y) {
                        group["monthURL"] = u
                    }
                    if !collapsed { group["events"] = months[m]!.map(eventContext) }
                    return group
                },
            ] as [String: Any]
        }
    }

    // MARK: pages

    /// The pages of the site, rendered on all cores: every page is a pure function of the graph.
    enum PageJob {
        case home, years, entityIndex, articleIndex, explore, search
        case entity(Int), article(Int), event(Int)
    }

    public func render() -> [OutputFile] {
        let collected = Collected()
        let paths = render(emit: collected.add)
        return collected.inOrder(paths)
    }

    /// Renders every page and data file, handing each to `emit` as soon as it is made (from any
    /// thread, so a build can write it and free its bytes at once); returns the paths emitted,
    /// in a stable order. With `reuse`, event, article and entity pages whose inputs are unchanged since the last
    /// build are not rendered at all (see `PageKeys`); `reuseSeed` stands for every input they
    /// share (templates, site settings, entities, the binary).
    public func render(emit: (OutputFile) -> Void, reuse: PageReuse? = nil, reuseSeed: UInt64 = 0) -> [String] {
        render(emit: emit, reuse: reuse, keys: reuse.map { _ in PageKeys(self, seed: reuseSeed) })
    }

    /// The same with the page keys of the build (made once for these pages and the review pages).
    func render(emit: (OutputFile) -> Void, reuse: PageReuse?, keys: PageKeys?) -> [String] {
        // The pages and data files made from the whole site (home, years, indexes, explore and
        // search, 404, feeds, sitemap, exports) are one group with one key: an edit that changes
        // no event and no article's metadata keeps them all (the exports alone were 10 s of CPU
        // of a one-article edit at 10,000 articles).
        let siteKey = keys?.sitePages()
        var siteReused: [String]?
        if let reuse, let siteKey { siteReused = reuse.reuseGroup(key: siteKey) }
        func siteEmit(_ f: OutputFile) {
            if let reuse, let siteKey { reuse.add(f, key: siteKey) } else { emit(f) }
        }
        // Whole-site pages first: they are the slowest single jobs, so they start while the many
        // small per-event pages fill the gaps.
        let sitePages: [PageJob] = [.search] + (siteReused == nil ? [.explore, .home, .years, .entityIndex, .articleIndex] : [])
        let jobs: [PageJob] = sitePages
            + graph.entities.indices.map(PageJob.entity) + articles.indices.map(PageJob.article)
            + graph.events.indices.map(PageJob.event)
        /// A keyed page: kept from the last build when its key matches, else rendered and emitted.
        func keyed(_ path: String, _ key: UInt64, _ render: () -> OutputFile) -> [String] {
            if let reuse, !reuse.reuse(path, key: key) { reuse.add(render(), key: key) }
            return [path]
        }
        let rendered = Parallel.map(jobs.count) { k -> [String] in
            let files: [OutputFile]
            switch jobs[k] {
            case .home: files = [renderHome()]
            case .years: files = graphYears().map(renderYear)
            case .entityIndex: files = [renderEntityIndex()]
            case .articleIndex: files = articleIndexPages()
            case .search:
                // Its own group: it reads the articles' text, which the site group's key leaves out.
                guard let reuse, let key = keys?.searchIndex() else {
                    files = SearchRecords.files(self)
                    break
                }
                if let kept = reuse.reuseGroup(key: key) { return kept }
                let made = SearchRecords.files(self)
                made.forEach { reuse.add($0, key: key) }
                return made.map(\.path)
            case .explore:
                var paths: [String] = []
                explorePages { f in siteEmit(f); paths.append(f.path) }
                return paths
            case .entity(let i):
                let e = graph.entities[i]
                if let keys { return keyed(entityPath(e.id), keys.entityPage(e)) { renderEntity(e) } }
                files = [renderEntity(e)]
            case .article(let i):
                let a = articles[i]
                if let keys { return keyed(articlePath(a.meta.slug), keys.articlePage(a)) { renderArticle(a) } }
                files = [renderArticle(a)]
            case .event(let i):
                if let keys { return keyed(eventPath(graph.events[i].id), keys.eventPage(i)) { renderEvent(i) } }
                files = [renderEvent(i)]
            }
            files.forEach(siteEmit)
            return files.map(\.path)
        }
        var paths: [String] = []
        paths.reserveCapacity(jobs.count + 64)
        for group in rendered { paths += group }
        if let siteReused { return paths + siteReused }
        let notFound = templates.file("404.html", "404", page("页面不存在", path: "404.html"))
        siteEmit(notFound)
        paths.append(notFound.path)
        // data/events.json, feeds, sitemap, robots.txt and data exports (Render/Exports/); last, so the
        // sitemap sees every page.
        paths += Exports.write(self, pages: paths, emit: siteEmit)
        return paths
    }

    /// Files emitted from several threads, put back in the order of their paths.
    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var byPath: [String: OutputFile] = [:]

        func add(_ f: OutputFile) {
            let f = f.materialized
            lock.lock()
            byPath[f.path] = f
            lock.unlock()
        }

        func inOrder(_ paths: [String]) -> [OutputFile] {
            lock.lock()
            defer { lock.unlock() }
            return paths.compactMap { byPath[$0] }
        }
    }

    /// How many events the home page's "latest" and "ahead" lists show on a large site.
    static let latestLimit = 30

    func renderHome() -> OutputFile {
        var ctx = page(config.title, path: "index.html")
        let all = Array(graph.events.indices)
        if all.count > Self.fullListingLimit {
            // A large timeline: months with counts, the latest events that have happened, and
            // what is announced or forecast, apart.
            ctx["groups"] = grouped(all, collapseAbove: 0, coarseURL: { periodsURL($0) })
            let latest = Array(all.reversed().lazy.filter { !isAhead(graph.events[$0]) }.prefix(Self.latestLimit))
            ctx["latest"] = latest.map(eventContext)
            ctx["hasLatest"] = true
            let ahead = Array(all.lazy.filter { isAhead(graph.events[$0]) && graph.events[$0].sortDay > referenceDay }
                .prefix(Self.latestLimit))
            ctx["ahead"] = ahead.map(eventContext)
            ctx["hasAhead"] = !ahead.isEmpty
        } else {
            ctx["groups"] = grouped(all)
        }
        ctx["overviewChart"] = overviewChart()
        ctx["overviewTable"] = overviewTable()
        ctx["swimlaneChart"] = swimlaneChart()
        ctx["swimlaneTable"] = swimlaneTable()
        ctx["eventCount"] = graph.events.count
        ctx["articleCount"] = articles.count
        ctx["entityCount"] = graph.eventsByEntity.count
        ctx["viewToggle"] = true
        return templates.file("index.html", "index", ctx)
    }

    func renderYear(_ y: Int) -> OutputFile {
        let path = "years/\(y)/index.html"
        var ctx = page("\(y)年", path: path, description: "\(y)年大模型产业事件")
        let indices = graph.events.indices.filter {
            let e = graph.events[$0]
            return (isMonthly(e) ? monthOf(e) / 12 : e.date.year) == y
        }
        ctx["year"] = y
        ctx["groups"] = grouped(indices, collapseAbove: Self.fullListingLimit, coarseURL: { periodsURL($0) })
        ctx["eventCount"] = indices.count
        ctx["viewToggle"] = true
        let ys = graphYears()
        if let i = ys.firstIndex(of: y) {
            if i > 0 { ctx["prev"] = ["label": "\(ys[i - 1])年", "url": yearURL(ys[i - 1])] }
            if i + 1 < ys.count { ctx["next"] = ["label": "\(ys[i + 1])年", "url": yearURL(ys[i + 1])] }
        }
        ctx["hasPager"] = ctx["prev"] != nil || ctx["next"] != nil
        return templates.file(path, "year", ctx)
    }

    /// Entities by kind, most events first; those with no event yet are listed apart, after.
    func renderEntityIndex() -> OutputFile {
        var ctx = page("实体", path: "entities/index.html", description: "时间线中的公司、产品、人物、机构与政策")
        func count(_ e: Entity) -> Int { graph.eventsByEntity[e.id]?.count ?? 0 }
        func item(_ e: Entity) -> [String: Any] {
            clean(["name": e.name, "url": entityURL(e.id), "count": count(e), "aliases": e.aliases.joined(separator: "、")])
        }
        ctx["kinds"] = EntityKind.allCases.compactMap { kind -> [String: Any]? in
            let list = graph.entities.filter { $0.kind == kind && count($0) > 0 }
                .sorted { (count($0), $1.name) > (count($1), $0.name) }
            guard !list.isEmpty else { return nil }
            return ["kind": kind.rawValue, "label": kind.label, "count": list.count, "entities": list.map(item)]
        }
        let idle = graph.entities.filter { count($0) == 0 }.sorted { ($0.kind.rawValue, $0.name) < ($1.kind.rawValue, $1.name) }
        ctx["idle"] = idle.map { e in
            var d = item(e)
            d["kindLabel"] = e.kind.label
            return d
        }
        ctx["idleCount"] = idle.count
        ctx["hasIdle"] = !idle.isEmpty
        return templates.file("entities/index.html", "entities", ctx)
    }

    func renderEntity(_ e: Entity) -> OutputFile {
        let path = entityPath(e.id)
        var ctx = page(e.name, path: path, description: "\(e.name)（\(e.kind.label)）的大模型产业时间线")
        let indices = graph.eventsByEntity[e.id] ?? []
        ctx["entity"] = clean(["name": e.name, "kind": e.kind.rawValue, "kindLabel": e.kind.label,
                         "aliases": e.aliases.joined(separator: "、"), "hasAliases": !e.aliases.isEmpty,
                         "description": e.description ?? "", "provisional": e.isProvisional])
        if let p = e.parent.flatMap(entityChip) { ctx["parent"] = p }
        let kids = (graph.children[e.id] ?? []).compactMap(entityChip)
        ctx["children"] = kids
        ctx["hasChildren"] = !kids.isEmpty
        // Entities named in the same events, most frequent first.
        var co: [String: Int] = [:]
        for i in indices { for other in graph.events[i].entities where other != e.id { co[other, default: 0] += 1 } }
        let related = co.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(12)
        ctx["related"] = related.compactMap { id, n -> [String: Any]? in
            guard var chip = entityChip(id) else { return nil }
            chip["count"] = n
            return chip
        }
        ctx["hasRelated"] = !related.isEmpty
        ctx["groups"] = grouped(indices, collapseAbove: Self.fullListingLimit)
        ctx["eventCount"] = indices.count
        ctx["hasEvents"] = !indices.isEmpty
        ctx["activityChart"] = entityActivityChart(indices)
        ctx["viewToggle"] = !indices.isEmpty
        if indices.isEmpty {
            // No dated event names it yet: the articles that mention it.
            let mentioned = (mentions[e.id] ?? []).compactMap { articleBySlug[$0] }
            ctx["mentions"] = mentioned.map { a in
                clean(["title": a.meta.title, "url": articleURL(a.meta.slug), "date": a.meta.date.iso,
                       "source": a.meta.source ?? ""])
            }
            ctx["hasMentions"] = !mentioned.isEmpty
        }
        return templates.file(path, "entity", ctx)
    }

    func renderArticleIndex() -> OutputFile {
        var ctx = page("文章", path: "articles/index.html", description: "时间线所依据的文章")
        var counts: [String: Int] = [:]
        for e in graph.events { for s in e.sources { counts[s.articleSlug, default: 0] += 1 } }
        ctx["articles"] = articles.map { a in
            clean(["title": a.meta.title, "url": articleURL(a.meta.slug), "date": a.meta.date.iso,
                   "dateText": DateDisplay.text(.day(a.meta.date), mod: nil), "source": a.meta.source ?? "",
                   "summary": a.meta.summary ?? "", "events": counts[a.meta.slug] ?? 0])
        }
        return templates.file("articles/index.html", "articles", ctx)
    }

    func renderArticle(_ a: ParsedArticle) -> OutputFile {
        let path = articlePath(a.meta.slug)
        var ctx = page(a.meta.title, path: path, description: a.meta.summary)
        var marks: [Int: [ArticleAnnotator.Mark]] = [:]
        var listed: [Int] = []
        for i in eventIndicesByArticle[a.meta.slug] ?? [] {
            let e = graph.events[i]
            for s in e.sources where s.articleSlug == a.meta.slug {
                marks[s.blockIndex, default: []].append(.init(eventID: e.id, quote: s.quote, label: dateText(e), permalink: eventURL(e.id)))
                if listed.last != i { listed.append(i) }
            }
        }
        ctx["article"] = clean([
            "title": a.meta.title, "date": a.meta.date.iso, "dateText": DateDisplay.text(.day(a.meta.date), mod: nil),
            "source": a.meta.source ?? "", "hasSource": a.meta.source != nil,
            "sourceURL": a.meta.sourceURL ?? "", "hasSourceURL": a.meta.sourceURL != nil,
            "authors": a.meta.authors.joined(separator: "、"), "hasAuthors": !a.meta.authors.isEmpty,
            "tags": a.meta.tags, "summary": a.meta.summary ?? "",
            "html": ArticleAnnotator.annotate(html: a.html, blocks: a.blocks, marks: marks),
        ])
        ctx["events"] = listed.map(eventContext)
        ctx["eventCount"] = listed.count
        return templates.file(path, "article", ctx)
    }

    func renderEvent(_ i: Int) -> OutputFile {
        let e = graph.events[i]
        let path = eventPath(e.id)
        var ctx = page("\(dateText(e))：\(fullHeadline(i))", path: path, description: e.sources.first?.quote)
        ctx["event"] = eventContext(i)
        let r = graph.related(i)
        // One line per related event: an event that is the previous one of two entities is
        // listed once, with both labels.
        var relatedOrder: [Int] = []
        var labels: [Int: [String]] = [:]
        func add(_ j: Int, _ label: String) {
            if labels[j] == nil { relatedOrder.append(j) }
            if labels[j]?.contains(label) != true { labels[j, default: []].append(label) }
        }
        func link(_ j: Int) -> [String: Any] {
            let o = graph.events[j]
            return ["url": eventURL(o.id), "dateText": dateText(o), "headline": fullHeadline(j)]
        }
        for (entity, j) in r.previousSameEntity {
            guard let name = graph.entityByID[entity]?.name else { continue }
            add(j, "\(name)的上一件事")
        }
        for (entity, j) in r.nextSameEntity {
            if let name = graph.entityByID[entity]?.name { add(j, "\(name)的下一件事") }
        }
        for j in r.sameDay { add(j, "同日") }
        if r.sameDayTotal > r.sameDay.count, let m = e.date.month {
            ctx["sameDayMore"] = ["count": r.sameDayTotal - r.sameDay.count, "url": monthURL(e.date.year, m),
                                  "monthLabel": "\(e.date.year)年\(m)月"]
        }
        if let j = r.followsUp { add(j, "承接") }
        for j in r.followedBy { add(j, "后续") }
        let relatedGroups: [[String: Any]] = relatedOrder.map { j in
            ["label": labels[j]!.joined(separator: "、"), "event": link(j)]
        }
        ctx["related"] = relatedGroups
        ctx["hasRelated"] = !relatedGroups.isEmpty
        // The timeline's order: the event before and after this one.
        func neighbour(_ j: Int) -> [String: Any] {
            ["label": dateText(graph.events[j]) + " " + fullHeadline(j), "url": eventURL(graph.events[j].id)]
        }
        if i > 0 { ctx["prev"] = neighbour(i - 1) }
        if i + 1 < graph.events.count { ctx["next"] = neighbour(i + 1) }
        ctx["pagerLabel"] = "时间线上的前一件与后一件事件"
        ctx["hasPager"] = ctx["prev"] != nil || ctx["next"] != nil
        ctx["yearURL"] = yearURL(e.date.year)
        ctx["year"] = e.date.year
        if isMonthly(e) {
            let m = monthOf(e)
            ctx["monthCrumb"] = ["label": "\(m % 12 + 1)月", "url": monthURL(m / 12, m % 12 + 1)]
        } else if graph.events[i].date.year == e.date.year {
            ctx["monthCrumb"] = ["label": "跨月的事件", "url": periodsURL(e.date.year)]
        }
        return templates.file(path, "event", ctx)
    }
}
