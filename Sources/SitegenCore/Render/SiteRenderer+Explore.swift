import Foundation

/// Pages that make the timeline explorable: month views, per-kind pages (every filter target as
/// a plain page), the charts, and the explore/search page with its compact index.
extension SiteRenderer {
    /// Above this many events a timeline page lists months with counts instead of every event,
    /// so no page becomes a multi-megabyte wall.
    static let fullListingLimit = 400

    func monthURL(_ y: Int, _ m: Int) -> String { url("years/\(y)/\(CivilDate.pad(m, 2))/index.html") }
    func kindURL(_ k: EventKind) -> String { url("kinds/\(k.slug)/index.html") }
    func entityKindURL(_ k: EntityKind) -> String { url("entity-kinds/\(k.rawValue)/index.html") }

    func periodsURL(_ y: Int) -> String { url("years/\(y)/periods/index.html") }
    /// At most this many events on one page of a month (or of a year's periods).
    static let pageSize = 100

    /// Month pages (each lists what happened in the month, and apart, in a band labelled 「此期间」,
    /// the coarser events that cover it), a year's periods pages, kind and entity-kind pages, an
    /// index for each folder, the explore page, each handed to `emit` as soon as it is made.
    func explorePages(emit: (OutputFile) -> Void) {
        let byMonth = eventsByMonth
        let coarse = graph.events.indices.filter { !isMonthly(graph.events[$0]) }
        // The coarse events covering each month with a page.
        var band: [Int: [Int]] = [:]
        for i in coarse {
            for m in monthSpan(graph.events[i]) where byMonth[m] != nil { band[m, default: []].append(i) }
        }
        let months = byMonth.keys.sorted()
        for (k, key) in months.enumerated() {
            let y = key / 12, m = key % 12 + 1
            func label(_ key: Int) -> String { "\(key / 12)年\(key % 12 + 1)月" }
            func link(_ key: Int) -> [String: Any] { ["label": label(key), "url": monthURL(key / 12, key % 12 + 1)] }
            paged(base: "years/\(y)/\(CivilDate.pad(m, 2))/", heading: label(key),
                  description: "\(label(key))的大模型产业事件", indices: byMonth[key]!,
                  crumbs: [["label": "\(y)年", "url": yearURL(y)]], band: band[key] ?? [],
                  prev: k > 0 ? link(months[k - 1]) : nil, next: k + 1 < months.count ? link(months[k + 1]) : nil,
                  groupLabel: { DateDisplay.text($0.date, mod: $0.mod, showYear: false) }, kindFilter: true, emit: emit)
        }
        // Per year, the events of coarser precision (a quarter, a half, the year, a range).
        let coarseYears = Dictionary(grouping: coarse, by: { graph.events[$0].date.year })
        let cy = coarseYears.keys.sorted()
        for (k, y) in cy.enumerated() {
            func link(_ y: Int) -> [String: Any] { ["label": "\(y)年的跨月事件", "url": periodsURL(y)] }
            paged(base: "years/\(y)/periods/", heading: "\(y)年跨月的事件", description: "\(y)年以季度、半年、全年或时段记的事件",
                  indices: coarseYears[y]!, crumbs: [["label": "\(y)年", "url": yearURL(y)]], band: [],
                  prev: k > 0 ? link(cy[k - 1]) : nil, next: k + 1 < cy.count ? link(cy[k + 1]) : nil,
                  groupLabel: { dateText($0) }, kindFilter: false, emit: emit)
        }
        var kindLinks: [[String: Any]] = []
        for kind in EventKind.allCases {
            let indices = graph.events.indices.filter { graph.events[$0].kind == kind }
            guard !indices.isEmpty else { continue }
            let path = "kinds/\(kind.slug)/index.html"
            kindLinks.append(["label": kind.rawValue, "url": url(path), "count": indices.count])
            var ctx = page("\(kind.rawValue)事件", path: path, description: "类型为「\(kind.rawValue)」的大模型产业事件")
            ctx["heading"] = "\(kind.rawValue)事件"
            ctx["crumbs"] = [["label": "事件类型", "url": url("kinds/index.html")]]
            ctx["groups"] = grouped(indices, collapseAbove: Self.fullListingLimit, monthQuery: "?kind=\(kind.slug)")
            ctx["eventCount"] = indices.count
            ctx["viewToggle"] = true
            emit(templates.file(path, "listing", ctx))
        }
        var entityKindLinks: [[String: Any]] = []
        for kind in EntityKind.allCases {
            let ids = Set(graph.entities.filter { $0.kind == kind }.map(\.id))
            let indices = graph.events.indices.filter { graph.events[$0].entities.contains(where: ids.contains) }
            guard !indices.isEmpty else { continue }
            let path = "entity-kinds/\(kind.rawValue)/index.html"
            entityKindLinks.append(["label": kind.label, "url": url(path), "count": indices.count])
            var ctx = page("涉及\(kind.label)的事件", path: path, description: "涉及\(kind.label)的大模型产业事件")
            ctx["heading"] = "涉及\(kind.label)的事件"
            ctx["crumbs"] = [["label": "实体类别", "url": url("entity-kinds/index.html")]]
            ctx["groups"] = grouped(indices, collapseAbove: Self.fullListingLimit)
            ctx["eventCount"] = indices.count
            ctx["viewToggle"] = true
            emit(templates.file(path, "listing", ctx))
        }
        // An index page for each folder of listings.
        func index(_ path: String, _ heading: String, _ lead: String, _ links: [[String: Any]]) {
            var ctx = page(heading, path: path, description: lead)
            ctx["heading"] = heading
            ctx["lead"] = lead
            ctx["links"] = links
            emit(templates.file(path, "browse", ctx))
        }
        index("kinds/index.html", "事件类型", "按类型浏览事件：发布、融资、降价……", kindLinks)
        index("entity-kinds/index.html", "实体类别", "按所涉实体的类别浏览事件。", entityKindLinks)
        let yearCounts = Dictionary(grouping: graph.events.indices, by: { graph.events[$0].date.year }).mapValues(\.count)
        let yearItems: [[String: Any]] = graphYears().map { ["label": "\($0)年", "url": yearURL($0), "count": yearCounts[$0] ?? 0] }
        index("years/index.html", "年份", "按年份浏览时间线。", yearItems)
        index("events/index.html", "事件", "每件事件都有自己的页面；按年份浏览全部事件。", yearItems)
        emit(renderExplore())
    }

    /// Pages of at most `pageSize` events under `base` (page 1 at `base`, page k at `base`k/),
    /// grouped by `groupLabel` (the day, on a month page) with a jump list to every group, and
    /// on page 1 the coarser events of the period (`band`).
    func paged(base: String, heading: String, description: String, indices: [Int], crumbs: [[String: Any]],
               band: [Int], prev: [String: Any]?, next: [String: Any]?, groupLabel: (TimelineEvent) -> String,
               kindFilter: Bool, emit: (OutputFile) -> Void) {
        let pageCount = max(1, (indices.count + Self.pageSize - 1) / Self.pageSize)
        func pagePath(_ p: Int) -> String { p == 1 ? base + "index.html" : base + "\(p)/index.html" }
        // Groups in order, each with the page it starts on.
        var groups: [(label: String, first: Int)] = []
        for (k, i) in indices.enumerated() {
            let l = groupLabel(graph.events[i])
            if groups.last?.label != l { groups.append((l, k)) }
        }
        let jump: [[String: Any]] = groups.enumerated().map { g, x in
            ["label": x.label, "url": url(pagePath(x.first / Self.pageSize + 1)) + "#g\(g + 1)"]
        }
        for p in 1...pageCount {
            let path = pagePath(p)
            let title = pageCount > 1 ? "\(heading)（第\(p)页）" : heading
            var ctx = page(title, path: path, description: description)
            ctx["heading"] = heading
            ctx["crumbs"] = crumbs
            ctx["eventCount"] = indices.count
            ctx["viewToggle"] = true
            let slice = (p - 1) * Self.pageSize..<min(indices.count, p * Self.pageSize)
            var list: [[String: Any]] = []
            for (g, x) in groups.enumerated() {
                let end = g + 1 < groups.count ? groups[g + 1].first : indices.count
                let lo = max(x.first, slice.lowerBound), hi = min(end, slice.upperBound)
                guard lo < hi else { continue }
                let r = lo..<hi
                list.append(["label": x.label, "anchor": "g\(g + 1)", "count": end - x.first,
                             "events": indices[r].map(eventContext)])
            }
            ctx["days"] = list
            if groups.count > 1 { ctx["jump"] = jump; ctx["hasJump"] = true }
            if pageCount > 1 {
                ctx["pages"] = (1...pageCount).map { ["number": $0, "url": url(pagePath($0)), "current": $0 == p] }
                ctx["pageInfo"] = "第 \(p) / \(pageCount) 页"
                ctx["hasPages"] = true
            }
            if p == 1 && !band.isEmpty {
                ctx["band"] = ["count": band.count, "events": band.prefix(Self.pageSize).map(eventContext),
                               "more": band.count > Self.pageSize ? band.count - Self.pageSize : 0,
                               "hasMore": band.count > Self.pageSize]
            }
            if let prev { ctx["prev"] = prev }
            if let next { ctx["next"] = next }
            ctx["hasPager"] = prev != nil || next != nil
            ctx["kindFilter"] = kindFilter
            emit(templates.file(path, "month", ctx))
        }
    }

    /// Above this many articles the article index shows the latest ones and links one page per
    /// publication year (a single list of 10,000 articles is a 2.5 MB page).
    static let articleIndexLimit = 1000
    static let latestArticles = 100

    func articleYearURL(_ y: Int) -> String { url("articles/by-year/\(y)/index.html") }

    /// The article index; above `articleIndexLimit` articles, also one page per year.
    func articleIndexPages() -> [OutputFile] {
        guard articles.count > Self.articleIndexLimit else { return [renderArticleIndex()] }
        var counts: [String: Int] = [:]
        for e in graph.events { for s in e.sources { counts[s.articleSlug, default: 0] += 1 } }
        func item(_ a: ParsedArticle) -> [String: Any] {
            clean(["title": a.meta.title, "url": articleURL(a.meta.slug), "date": a.meta.date.iso,
                   "dateText": DateDisplay.text(.day(a.meta.date), mod: nil), "source": a.meta.source ?? "",
                   "summary": a.meta.summary ?? "", "events": counts[a.meta.slug] ?? 0])
        }
        var byYear: [Int: [ParsedArticle]] = [:]
        for a in articles { byYear[a.meta.date.year, default: []].append(a) }  // articles are newest first
        let years = byYear.keys.sorted(by: >)
        func yearLinks(current: Int?) -> [[String: Any]] {
            years.map { ["year": $0, "url": articleYearURL($0), "count": byYear[$0]!.count, "current": $0 == current] }
        }
        var files: [OutputFile] = []
        var ctx = page("文章", path: "articles/index.html", description: "时间线所依据的文章")
        ctx["articles"] = articles.prefix(Self.latestArticles).map(item)
        ctx["articleYears"] = yearLinks(current: nil)
        ctx["hasArticleYears"] = true
        ctx["latestOnly"] = ["shown": min(Self.latestArticles, articles.count), "total": articles.count]
        files.append(templates.file("articles/index.html", "articles", ctx))
        for y in years {
            let path = "articles/by-year/\(y)/index.html"
            var c = page("\(y)年的文章", path: path, description: "\(y)年发表的、时间线所依据的文章")
            c["heading"] = "\(y)年的文章"
            c["articles"] = byYear[y]!.map(item)
            c["articleYears"] = yearLinks(current: y)
            c["hasArticleYears"] = true
            files.append(templates.file(path, "articles", c))
        }
        return files
    }

    func renderExplore() -> OutputFile {
        var ctx = page("探索与搜索", path: "explore/index.html", description: "全文搜索文章、事件与实体，按年份、类型和实体筛选")
        // The search's own files start loading with the page, not after app.js has run.
        if var p = ctx["page"] as? [String: Any] {
            p["preloadSearch"] = url("pagefind/")
            ctx["page"] = p
        }
        ctx["years"] = graphYears().map { ["year": $0, "url": yearURL($0)] }
        ctx["eventKinds"] = EventKind.allCases.compactMap { k -> [String: Any]? in
            let n = graph.events.filter { $0.kind == k }.count
            return n == 0 ? nil : ["value": k.slug, "label": k.rawValue, "url": kindURL(k), "count": n]
        }
        ctx["entityKinds"] = EntityKind.allCases.compactMap { k -> [String: Any]? in
            let ids = Set(graph.entities.filter { $0.kind == k }.map(\.id))
            let used = graph.events.contains { $0.entities.contains(where: ids.contains) }
            return used ? ["value": k.rawValue, "label": k.label, "url": entityKindURL(k)] : nil
        }
        ctx["topEntities"] = graph.entities
            .filter { (graph.eventsByEntity[$0.id]?.count ?? 0) > 0 }
            .sorted { (graph.eventsByEntity[$0.id]!.count, $1.name) > (graph.eventsByEntity[$1.id]!.count, $0.name) }
            .map { ["value": $0.id, "label": $0.name, "url": entityURL($0.id)] }
        ctx["searchIndex"] = url("pagefind/")
        return templates.file("explore/index.html", "explore", ctx)
    }

    // MARK: charts

    static let quarterNames = ["第一季度", "第二季度", "第三季度", "第四季度"]

    /// Monthly events per month as bars; coarser events as spans under the axis, one per distinct
    /// period, each linked to its year's periods page.
    func overviewChart() -> String {
        guard let span = siteMonthSpan else { return "" }
        var counts = [Int](repeating: 0, count: span.count)
        var periods: [String: (first: Int, last: Int, year: Int, n: Int)] = [:]
        for i in graph.events.indices {
            let e = graph.events[i]
            if isMonthly(e) {
                counts[monthOf(e) - span.start] += 1
            } else {
                let r = monthSpan(e)
                let first = max(0, r.lowerBound - span.start), last = min(span.count - 1, r.upperBound - span.start)
                periods[dateText(e), default: (first, last, e.date.year, 0)].n += 1
            }
        }
        var ticks: [(Int, String)] = []
        let bars = counts.enumerated().map { k, n -> Charts.Bar in
            let mk = span.start + k
            let y = mk / 12, m = mk % 12 + 1
            if m == 1 || k == 0 { ticks.append((k, "\(y)")) }
            return Charts.Bar(label: "\(y)年\(m)月", value: n, url: monthURL(y, m))
        }
        let spans = periods.sorted { $0.key < $1.key }.map { label, p in
            Charts.Span(first: p.first, last: p.last, label: label, value: p.n, url: periodsURL(p.year))
        }
        return Charts.histogram(bars, spans: spans, title: "每月事件数（\(bars.first!.label)至\(bars.last!.label)）",
                                id: "chart-overview", yearTicks: ticks)
    }

    /// The overview's numbers: per month, its own events and the coarser ones covering it.
    func overviewTable() -> String {
        guard let span = siteMonthSpan else { return "" }
        var own = [Int](repeating: 0, count: span.count), covering = own
        for e in graph.events {
            if isMonthly(e) { own[monthOf(e) - span.start] += 1; continue }
            for m in monthSpan(e) where m >= span.start && m < span.start + span.count { covering[m - span.start] += 1 }
        }
        var rows: [[String]] = [], links: [String?] = []
        for k in (0..<span.count).reversed() where own[k] + covering[k] > 0 {
            let mk = span.start + k
            rows.append(["\(mk / 12)年\(mk % 12 + 1)月", String(own[k]), String(covering[k])])
            links.append(own[k] > 0 ? monthURL(mk / 12, mk % 12 + 1) : nil)
        }
        return Charts.table(caption: "每月事件数（新近的在前）", head: ["月份", "当月事件", "此期间的跨月事件"], rows: rows, links: links)
    }

    /// The entities with most events: per lane, a dot per quarter and a bar per longer period.
    func topEntities(limit: Int = 10) -> [(Entity, [Int])] {
        var named: [String: [Int]] = [:]
        for i in graph.events.indices {
            for id in Set(graph.events[i].entities) { named[id, default: []].append(i) }
        }
        return graph.entities
            .map { e in (e, named[e.id] ?? []) }
            .filter { !$0.1.isEmpty }
            .sorted { ($0.1.count, $1.0.name) > ($1.1.count, $0.0.name) }
            .prefix(limit).map { $0 }
    }

    /// Quarter columns over the site's months: the first quarter and how many.
    var quarterSpan: (start: Int, count: Int)? {
        guard let span = siteMonthSpan else { return nil }
        let startQ = span.start / 3
        return (startQ, (span.start + span.count - 1) / 3 - startQ + 1)
    }

    func quarterName(_ q: Int) -> String { "\(q / 4)年\(Self.quarterNames[q % 4])" }

    /// Per event list: counts per quarter column (events of a quarter or finer) and the longer
    /// periods as spans.
    func quarterCounts(_ indices: [Int], startQ: Int, quarters: Int, spanURL: (Int) -> String?)
        -> (counts: [Int: Int], spans: [Charts.Span]) {
        var c: [Int: Int] = [:]
        var periods: [String: (first: Int, last: Int, year: Int, n: Int)] = [:]
        for i in indices {
            let e = graph.events[i]
            let r = monthSpan(e)
            let q0 = r.lowerBound / 3 - startQ, q1 = r.upperBound / 3 - startQ
            if q0 == q1 {
                c[q0, default: 0] += 1
            } else {
                periods[dateText(e), default: (max(0, q0), min(quarters - 1, q1), e.date.year, 0)].n += 1
            }
        }
        let spans = periods.sorted { $0.key < $1.key }.map { label, p in
            Charts.Span(first: p.first, last: p.last, label: label, value: p.n, url: spanURL(p.year))
        }
        return (c, spans)
    }

    func swimlaneChart(limit: Int = 10) -> String {
        guard let qs = quarterSpan else { return "" }
        let lanes = topEntities(limit: limit).map { e, idx -> Charts.Lane in
            let q = quarterCounts(idx, startQ: qs.start, quarters: qs.count) { self.entityURL(e.id) + "#y\($0)" }
            var urls: [Int: String] = [:]
            for c in q.counts.keys { urls[c] = entityURL(e.id) + "#y\((qs.start + c) / 4)" }
            return Charts.Lane(label: e.name, url: entityURL(e.id), counts: q.counts, urls: urls, spans: q.spans)
        }
        var labels: [(Int, String)] = []
        for q in 0..<qs.count where (qs.start + q) % 4 == 0 || q == 0 { labels.append((q, "\((qs.start + q) / 4)")) }
        return Charts.swimlanes(lanes, columns: qs.count, columnLabels: labels, title: "主要实体的事件分布（按季度）",
                                id: "chart-lanes", columnName: { self.quarterName(qs.start + $0) })
    }

    /// The swimlanes' numbers: per entity, its events per year.
    func swimlaneTable(limit: Int = 10) -> String {
        let years = graphYears()
        let top = topEntities(limit: limit)
        let rows = top.map { e, idx -> [String] in
            var per: [Int: Int] = [:]
            for i in idx { per[graph.events[i].date.year, default: 0] += 1 }
            return [e.name] + years.map { String(per[$0] ?? 0) } + [String(idx.count)]
        }
        return Charts.table(caption: "主要实体每年的事件数", head: ["实体"] + years.map { "\($0)年" } + ["合计"], rows: rows,
                            links: top.map { entityURL($0.0.id) })
    }

    /// An entity's events per quarter over the site's whole period; its longer periods as spans.
    func entityActivityChart(_ indices: [Int], entityID: String = "") -> String {
        guard let qs = quarterSpan, !indices.isEmpty else { return "" }
        let q = quarterCounts(indices, startQ: qs.start, quarters: qs.count) { _ in nil }
        var ticks: [(Int, String)] = []
        let bars = (0..<qs.count).map { k -> Charts.Bar in
            let quarter = qs.start + k
            if quarter % 4 == 0 || k == 0 { ticks.append((k, "\(quarter / 4)")) }
            return Charts.Bar(label: quarterName(quarter), value: q.counts[k] ?? 0, url: "#y\(quarter / 4)")
        }
        return Charts.histogram(bars, spans: q.spans, title: "每季度事件数", id: "chart-activity", height: 130, yearTicks: ticks,
                                barLegend: "每季度事件数", spanLegend: "半年、全年、时段")
    }
}

/// The records of the search index (see `Pagefind`): one per entity, event and article, with
/// what a reader may type to find it. Pure: the graph and the articles in, records out; made in
/// a fixed order so the index is the same for the same site. Editorial data (review pages,
/// skipped sentences, override notes) never goes in.
enum SearchRecords {
    static let typeEntity = "实体", typeEvent = "事件", typeArticle = "文章"

    /// Entities first, then articles. Events are found through their articles, whose text holds
    /// every quote and which carry their events' headlines, entities and kinds: a record per event
    /// (141,423 at 10,000 articles) made Pagefind's work about 50 s and added a file per event
    /// (docs/SEARCH.md).
    static func all(_ r: SiteRenderer) -> [Pagefind.Record] {
        var out: [Pagefind.Record] = []
        out.reserveCapacity(r.graph.entities.count + r.articles.count)
        for e in r.graph.entities { out.append(entity(r, e)) }
        for a in r.articles { out.append(article(r, a)) }
        return out
    }

    static func record(_ url: String, _ content: String, meta: [String: String], filters: [String: [String]],
                       sort: [String: String] = [:]) -> Pagefind.Record {
        Pagefind.Record(url: url, content: spaced(content), language: "zh-cn", meta: meta.filter { !$0.value.isEmpty },
                        filters: filters.filter { !$0.value.isEmpty }, sort: sort)
    }

    /// Each Han character as a word of its own: Pagefind's extended build segments Chinese when it
    /// indexes (into words the browser's segmenter does not always find again, so 「豆包」 missed
    /// its own entity); one character a word, and the explore page asks for them as a phrase,
    /// finds any run of characters exactly. The page takes the spaces out of the excerpts again.
    static func spaced(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var lastHan = false
        for c in s.unicodeScalars {
            let han = ChineseText.isIdeograph(c)
            if han && lastHan { out.append(" ") }
            out.append(c)
            lastHan = han
        }
        return String(out)
    }

    static func entity(_ r: SiteRenderer, _ e: Entity) -> Pagefind.Record {
        let n = r.graph.eventsByEntity[e.id]?.count ?? 0
        // Names apart (「、」: the page takes the spaces between Han characters out of excerpts).
        let text = ([e.name] + e.aliases).joined(separator: "、") + "。" + (e.description ?? "")
        return record(r.entityURL(e.id), text,
                      meta: ["title": e.name, "info": "\(e.kind.label) · \(n) 件事件", "type": typeEntity],
                      filters: ["type": [typeEntity], "ekind": [e.kind.rawValue]])
    }

    /// An article with its events: the text, then each event's headline and its entities' names
    /// and aliases; filtered by the years, kinds and entities of its events and its own year.
    static func article(_ r: SiteRenderer, _ a: ParsedArticle) -> Pagefind.Record {
        let info = [a.meta.date.iso, a.meta.source ?? ""].filter { !$0.isEmpty }.joined(separator: " · ")
        var years: Set<String> = [String(a.meta.date.year)], kinds = Set<String>(), ekinds = Set<String>()
        var entities = Set<String>()
        var extra: [String] = []
        // The article's events, one line each (permalink, date, headline, names), so the explore
        // page can list the events of a matching article that match the query too.
        var lines: [String] = []
        for i in r.eventIndicesByArticle[a.meta.slug] ?? [] {
            let e = r.graph.events[i]
            years.insert(String(e.date.year))
            if let k = e.kind { kinds.insert(k.slug) }
            extra.append(r.fullHeadline(i))
            var names: [String] = []
            for id in e.entities + e.impliedEntities {
                guard let x = r.graph.entityByID[id] else { continue }
                names += [x.name] + x.aliases
                if entities.insert(id).inserted { extra.append(([x.name] + x.aliases).joined(separator: " ")) }
                ekinds.insert(x.kind.rawValue)
            }
            let fields = [r.eventURL(e.id), r.dateText(e), r.fullHeadline(i), names.joined(separator: " "), e.kind?.slug ?? ""]
            lines.append(fields.map { $0.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ") }
                .joined(separator: "\t"))
        }
        let text = ([a.meta.title, a.meta.summary ?? "", plainText(a.html)] + extra + [a.meta.tags.joined(separator: " ")])
            .joined(separator: "\n")
        let n = r.eventIndicesByArticle[a.meta.slug]?.count ?? 0
        return record(r.articleURL(a.meta.slug), text,
                      meta: ["title": a.meta.title, "info": info + " · \(n) 件事件", "type": typeArticle,
                             "events": lines.joined(separator: "\n")],
                      filters: ["type": [typeArticle], "year": years.sorted(), "kind": kinds.sorted(),
                                "ekind": ekinds.sorted(), "entity": entities.sorted()],
                      sort: ["date": a.meta.date.iso])
    }

    /// The text of an article's HTML: tags dropped (a block's end becomes a line break), the five
    /// entities the renderer writes decoded. The build keeps the HTML but not the plain text.
    static func plainText(_ html: String) -> String {
        var out = String.UnicodeScalarView()
        var inTag = false, entity: String.UnicodeScalarView? = nil
        for c in html.unicodeScalars {
            if inTag { if c == ">" { inTag = false }; continue }
            if var ent = entity {
                if c == ";" {
                    switch String(ent) {
                    case "amp": out.append("&")
                    case "lt": out.append("<")
                    case "gt": out.append(">")
                    case "quot": out.append("\"")
                    case "#39", "apos": out.append("'")
                    default: out.append(contentsOf: "&\(String(ent));".unicodeScalars)
                    }
                    entity = nil
                } else if ent.count > 8 {
                    out.append("&"); out.append(contentsOf: ent); out.append(c); entity = nil
                } else { ent.append(c); entity = ent }
                continue
            }
            switch c {
            case "<": inTag = true
            case "&": entity = String.UnicodeScalarView()
            default: out.append(c)
            }
        }
        return String(out)
    }

    /// The index's files under `pagefind/`; none (and a warning) without the Pagefind binary.
    static func files(_ r: SiteRenderer, binary: String? = Pagefind.executable()) -> [OutputFile] {
        guard let binary else {
            FileHandle.standardError.write(Data(("warning: no search index: the Pagefind binary was not found "
                + "(pip install pagefind-bin-extended, or set SITEGEN_PAGEFIND)\n").utf8))
            return []
        }
        do {
            return try Pagefind.index(all(r), binary: binary).map { OutputFile(path: "pagefind/" + $0.path, bytes: $0.bytes) }
        } catch {
            FileHandle.standardError.write(Data("warning: no search index: \(error)\n".utf8))
            return []
        }
    }
}
