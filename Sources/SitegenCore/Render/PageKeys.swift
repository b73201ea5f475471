/// Input keys of pages, so a rebuild after a small edit renders only the pages whose inputs
/// changed. Measured on the 10,000-article corpus: a one-article edit re-rendered all 141,423
/// event pages (2.9 GB of output then) although a handful differ.
///
/// Article and entity pages are keyed too (`articlePage`, `entityPage`). An event page shows the event, the events `EventGraph.related` lists (by entity, same day,
/// follow-ups), the articles of its sources, entity names, and what every page shares (site
/// settings, templates, year navigation). Its key hashes exactly that: the shared `seed`, the
/// digests of the event and of each related event with the shape of the related list (ids, not
/// indices, since an edit elsewhere shifts indices), and the digests of its sources' articles.
/// Any input left out would let a stale page survive, so `eventDigest` covers every stored field
/// of `TimelineEvent` (a test counts them) and the seed covers the whole entity list.
struct PageKeys {
    let seed: UInt64
    let renderer: SiteRenderer
    /// Per event index.
    let events: [UInt64]
    /// Per article slug: its metadata (title, date, publisher… shown in the sources list).
    let articles: [String: UInt64]

    init(_ r: SiteRenderer, seed: UInt64) {
        self.seed = seed
        renderer = r
        events = Parallel.map(r.graph.events.count, chunk: 256) { Self.eventDigest(r.graph.events[$0]) }
        var a: [String: UInt64] = [:]
        for p in r.articles { a[p.meta.slug] = Self.articleDigest(p.meta) }
        articles = a
    }

    /// Number of stored fields `articleDigest` and `skippedDigest` read, for the tests that fail
    /// when `ArticleMeta` or `SkippedStatement` gains one.
    static let articleFieldsCovered = 8
    static let skippedFieldsCovered = 6

    /// Field by field: `String(reflecting:)` did the same through runtime reflection at ~25 µs
    /// an article, 0.5 s of CPU of a one-article rebuild at 10,000 articles.
    static func articleDigest(_ m: ArticleMeta) -> UInt64 {
        var h = StableHash()
        h.combine(m.slug)
        h.combine(m.title)
        h.combine(m.date.iso)
        h.combine(m.source.map { "s" + $0 } ?? "-")
        h.combine(m.sourceURL.map { "u" + $0 } ?? "-")
        h.combine(String(m.authors.count))
        for a in m.authors { h.combine(a) }
        h.combine(m.summary.map { "m" + $0 } ?? "-")
        h.combine(String(m.tags.count))
        for t in m.tags { h.combine(t) }
        return h.value
    }

    static func skippedDigest(_ s: SkippedStatement) -> UInt64 {
        var h = StableHash()
        h.combine(s.articleSlug)
        h.combine(String(s.line))
        h.combine(String(s.blockIndex))
        h.combine(s.text)
        h.combine(s.dateText.map { "d" + $0 } ?? "-")
        h.combine(s.reason.rawValue)
        return h.value
    }

    /// Number of stored fields `eventDigest` reads, for the test that fails when `TimelineEvent`
    /// gains one.
    static let eventFieldsCovered = 14

    static func eventDigest(_ e: TimelineEvent) -> UInt64 {
        var h = StableHash()
        h.combine(e.id)
        h.combine(e.date.string)
        h.combine(e.mod?.rawValue ?? "-")
        h.combine(e.end?.string ?? "-")
        h.combine(e.endMod?.rawValue ?? "-")
        h.combine(e.headline)
        h.combine(e.entities.joined(separator: "\u{1}"))
        h.combine(e.impliedEntities.joined(separator: "\u{1}"))
        h.combine(e.kind?.rawValue ?? "-")
        h.combine(e.isForecast ? "f1" : "f0")
        h.combine(e.isFollowUp ? "u1" : "u0")
        h.combine(e.carriedEntities.joined(separator: "\u{1}"))
        h.combine(e.mentions.joined(separator: "\u{1}"))
        for s in e.sources {
            h.combine(s.articleSlug); h.combine(s.quote); h.combine(String(s.blockIndex)); h.combine(String(s.line)); h.combine(s.key)
            h.combine(s.actorSentence ?? "-"); h.combine(s.reportedDate?.string ?? "-")
        }
        h.combine(String(e.sources.count))
        return h.value
    }

    func eventPage(_ i: Int) -> UInt64 {
        let g = renderer.graph
        var h = StableHash()
        h.combine("event-page")
        h.combine(String(seed))
        h.combine(String(events[i]))
        let r = g.related(i)
        func event(_ tag: String, _ j: Int) {
            h.combine(tag)
            h.combine(String(events[j]))
        }
        for (entity, j) in r.previousSameEntity { event("p" + entity, j) }
        for (entity, j) in r.nextSameEntity { event("n" + entity, j) }
        for j in r.sameDay { event("d", j) }
        h.combine("t\(r.sameDayTotal)")
        if let j = r.followsUp { event("u", j) }
        for j in r.followedBy { event("b", j) }
        // The timeline's previous and next event (the page links them).
        if i > 0 { event("<", i - 1) }
        if i + 1 < g.events.count { event(">", i + 1) }
        combineSourceArticles(of: i, into: &h)
        return h.value
    }

    /// The articles of event `i`'s sources (their titles, publishers and dates are shown with it).
    func combineSourceArticles(of i: Int, into h: inout StableHash) {
        for s in renderer.graph.events[i].sources { h.combine(String(articles[s.articleSlug] ?? 0)) }
    }

    /// An event as a listing shows it: the event and its sources' articles.
    func combineListed(_ i: Int, into h: inout StableHash) {
        h.combine(String(events[i]))
        combineSourceArticles(of: i, into: &h)
    }

    /// An article page shows the article (a pure function of its file, given the binary in the
    /// seed) with its events marked and listed (each with all its sources' articles).
    func articlePage(_ a: ParsedArticle) -> UInt64 {
        var h = StableHash()
        h.combine("article-page")
        h.combine(String(seed))
        h.combine(a.source.path)
        h.combine(String(a.source.contentHash))
        for i in renderer.eventIndicesByArticle[a.meta.slug] ?? [] { combineListed(i, into: &h) }
        return h.value
    }

    /// An article's review page shows the article's title and file, its events' sentences (with
    /// their dates, headlines, entity names and keys) and its skipped dated sentences.
    /// The event digests are the ones the event pages' keys use, not computed again.
    func reviewPage(_ a: ParsedArticle, skipped: [SkippedStatement]) -> UInt64 {
        var h = StableHash()
        h.combine("review-page")
        h.combine(String(seed))
        h.combine(a.source.path)
        h.combine(String(Self.articleDigest(a.meta)))
        for i in renderer.eventIndicesByArticle[a.meta.slug] ?? [] { h.combine(String(events[i])) }
        for s in skipped { h.combine(String(Self.skippedDigest(s))) }
        return h.value
    }

    /// The pages and data files made from the whole site (see `SiteRenderer.render`) show the
    /// events (every field, with their sources), the articles' metadata (title, date, publisher,
    /// tags…, never their text) and what the seed covers; their key hashes those in order.
    func sitePages() -> UInt64 {
        var h = StableHash()
        h.combine("site-pages")
        h.combine(String(seed))
        for d in events { h.combine(String(d)) }
        h.combine("articles")
        for a in renderer.articles { h.combine(a.meta.slug); h.combine(String(articles[a.meta.slug] ?? 0)) }
        return h.value
    }

    /// The search index reads every event, entity (in the seed) and article, the articles' text
    /// included (their files' hashes).
    func searchIndex() -> UInt64 {
        var h = StableHash()
        h.combine("search-index")
        h.combine(String(seed))
        for d in events { h.combine(String(d)) }
        for a in renderer.articles {
            h.combine(String(articles[a.meta.slug] ?? 0))
            h.combine(String(a.source.contentHash))
        }
        return h.value
    }

    /// An entity page lists the entity's events (each with its sources' articles) grouped by
    /// month, the entities named with it (from those events), and an activity chart over the
    /// whole site's period, whose span is part of the key.
    func entityPage(_ e: Entity) -> UInt64 {
        var h = StableHash()
        h.combine("entity-page")
        h.combine(String(seed))
        h.combine(e.id)
        if let span = renderer.siteMonthSpan { h.combine("\(span.start)+\(span.count)") }
        for i in renderer.graph.eventsByEntity[e.id] ?? [] { combineListed(i, into: &h) }
        for slug in renderer.mentions[e.id] ?? [] { h.combine(slug); h.combine(String(articles[slug] ?? 0)) }
        return h.value
    }
}
