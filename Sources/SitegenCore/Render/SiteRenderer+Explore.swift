/// Pages that make the timeline explorable: month views, per-kind pages (every filter target as
/// a plain page), the charts, and the explore/search page with its compact index.
extension SiteRenderer {
    /// Above this many events a timeline page lists months with counts instead of every event,
    /// so no page becomes a multi-megabyte wall.
    static let fullListingLimit = 400

    func monthURL(_ y: Int, _ m: Int) -> String { url("years/\(y)/\(CivilDate.pad(m, 2))/index.html") }
    func kindURL(_ k: EventKind) -> String { url("kinds/\(k.slug)/index.html") }
    func entityKindURL(_ k: EntityKind) -> String { url("entity-kinds/\(k.rawValue)/index.html") }

    /// (year, month) of an event for month views: its own month, or the first month of its period.
    func yearMonth(_ e: TimelineEvent) -> (Int, Int) {
        let d = e.date.firstDay
        return (d.year, d.month)
    }

    /// Month, kind and entity-kind pages, the explore page and the search index, each handed to
    /// `emit` as soon as it is made (month pages alone are 25 MB at 10,000 articles).
    func explorePages(emit: (OutputFile) -> Void) {
        var byMonth: [Int: [Int]] = [:]
        for (i, e) in graph.events.enumerated() {
            let (y, m) = yearMonth(e)
            byMonth[y * 100 + m, default: []].append(i)
        }
        for key in byMonth.keys.sorted() {
            let y = key / 100, m = key % 100
            let path = "years/\(y)/\(CivilDate.pad(m, 2))/index.html"
            var ctx = page("\(y)年\(m)月", path: path, description: "\(y)年\(m)月的大模型产业事件")
            let indices = byMonth[key]!
            ctx["heading"] = "\(y)年\(m)月"
            ctx["crumbs"] = [["label": "\(y)年", "url": yearURL(y)]]
            // A crowded month lists one line per event, so the page stays well under 2 MB.
            ctx["groups"] = grouped(indices, compactAbove: Self.fullListingLimit, monthPage: true)
            ctx["eventCount"] = indices.count
            emit(templates.file(path, "listing", ctx))
        }
        for kind in EventKind.allCases {
            let indices = graph.events.indices.filter { graph.events[$0].kind == kind }
            guard !indices.isEmpty else { continue }
            let path = "kinds/\(kind.slug)/index.html"
            var ctx = page("\(kind.rawValue)事件", path: path, description: "类型为「\(kind.rawValue)」的大模型产业事件")
            ctx["heading"] = "\(kind.rawValue)事件"
            ctx["crumbs"] = [["label": "探索", "url": url("explore/index.html")]]
            ctx["groups"] = grouped(indices, collapseAbove: Self.fullListingLimit)
            ctx["eventCount"] = indices.count
            emit(templates.file(path, "listing", ctx))
        }
        for kind in EntityKind.allCases {
            let ids = Set(graph.entities.filter { $0.kind == kind }.map(\.id))
            let indices = graph.events.indices.filter { graph.events[$0].entities.contains(where: ids.contains) }
            guard !indices.isEmpty else { continue }
            let path = "entity-kinds/\(kind.rawValue)/index.html"
            var ctx = page("涉及\(kind.label)的事件", path: path, description: "涉及\(kind.label)的大模型产业事件")
            ctx["heading"] = "涉及\(kind.label)的事件"
            ctx["crumbs"] = [["label": "探索", "url": url("explore/index.html")]]
            ctx["groups"] = grouped(indices, collapseAbove: Self.fullListingLimit)
            ctx["eventCount"] = indices.count
            emit(templates.file(path, "listing", ctx))
        }
        emit(renderExplore())
        emit(SearchIndex.file(self))
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
        var ctx = page("探索与搜索", path: "explore/index.html", description: "按实体、类型和年份筛选事件，搜索事件、实体与文章")
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
        ctx["searchIndex"] = url("data/search.json")
        ctx["script"] = url("assets/app.js")
        return templates.file("explore/index.html", "explore", ctx)
    }

    // MARK: charts

    func overviewChart() -> String {
        guard let span = siteMonthSpan else { return "" }
        var counts = [Int](repeating: 0, count: span.count)
        for i in graph.events.indices { let (y, m) = yearMonth(graph.events[i]); counts[y * 12 + m - 1 - span.start] += 1 }
        var ticks: [(Int, String)] = []
        let bars = counts.enumerated().map { k, n -> Charts.Bar in
            let mk = span.start + k
            let y = mk / 12, m = mk % 12 + 1
            if m == 1 || k == 0 { ticks.append((k, "\(y)")) }
            return Charts.Bar(label: "\(y)年\(m)月", value: n, url: monthURL(y, m))
        }
        return Charts.histogram(bars, title: "每月事件数（\(bars.first!.label)至\(bars.last!.label)）", yearTicks: ticks)
    }

    /// The entities with most events, one lane each, one column per quarter.
    func swimlaneChart(limit: Int = 10) -> String {
        guard let span = siteMonthSpan else { return "" }
        let startQ = span.start / 3
        let quarters = (span.start + span.count - 1) / 3 - startQ + 1
        // Events naming each entity, in one pass (filtering all events once per entity was 5% of a
        // one-edit rebuild at 10,000 articles).
        var named: [String: [Int]] = [:]
        for i in graph.events.indices {
            for id in Set(graph.events[i].entities) { named[id, default: []].append(i) }
        }
        let top = graph.entities
            .map { e in (e, named[e.id] ?? []) }
            .filter { !$0.1.isEmpty }
            .sorted { ($0.1.count, $1.0.name) > ($1.1.count, $0.0.name) }
            .prefix(limit)
        let lanes = top.map { e, idx -> Charts.Lane in
            var c: [Int: Int] = [:]
            for i in idx { let (y, m) = yearMonth(graph.events[i]); c[(y * 12 + m - 1) / 3 - startQ, default: 0] += 1 }
            return Charts.Lane(label: e.name, url: entityURL(e.id), counts: c)
        }
        var labels: [(Int, String)] = []
        for q in 0..<quarters where (startQ + q) % 4 == 0 || q == 0 { labels.append((q, "\((startQ + q) / 4)")) }
        return Charts.swimlanes(lanes, columns: quarters, columnLabels: labels, title: "主要实体的事件分布（按季度）")
    }

    /// An entity's events per quarter over the site's whole period.
    func entityActivityChart(_ indices: [Int]) -> String {
        guard let span = siteMonthSpan, !indices.isEmpty else { return "" }
        let startQ = span.start / 3
        let quarters = (span.start + span.count - 1) / 3 - startQ + 1
        var counts = [Int](repeating: 0, count: quarters)
        for i in indices { let (y, m) = yearMonth(graph.events[i]); counts[(y * 12 + m - 1) / 3 - startQ] += 1 }
        var ticks: [(Int, String)] = []
        let bars = counts.enumerated().map { k, n -> Charts.Bar in
            let q = startQ + k
            if q % 4 == 0 || k == 0 { ticks.append((k, "\(q / 4)")) }
            return Charts.Bar(label: "\(q / 4)年第\(q % 4 + 1)季度", value: n, url: nil)
        }
        return Charts.histogram(bars, title: "每季度事件数", height: 110, yearTicks: ticks)
    }
}

/// The search index: character bigrams → posting lists, so Chinese (no spaces between words)
/// is searchable without a segmenter. Postings are delta-encoded in base 36 to keep it compact.
enum SearchIndex {
    static func normalize(_ s: String) -> [Unicode.Scalar] {
        EntityMatcher.fold(Array(s.unicodeScalars)).filter { ChineseText.isIdeograph($0) || ChineseText.isDigit($0) || ChineseText.isASCIILetter($0) }
    }

    /// The Traditional → Simplified folding the index was built with, as "TTT|SSS", so the browser
    /// folds queries the same way.
    static func foldTable() -> String {
        let pairs = ChineseText.traditional.sorted { $0.key < $1.key }
        var t = "", s = ""
        for (k, v) in pairs {
            guard let tk = Unicode.Scalar(k) else { continue }
            t.unicodeScalars.append(tk)
            s.unicodeScalars.append(v)
        }
        return t + "|" + s
    }

    /// `data/search.json`, made while it is written. Only the posting lists are held: the
    /// documents are made again, one at a time, for the output. (Built whole as a String, the
    /// index was the peak of a 10,000-article build: 161 MB of heap for a 31 MB file, by heaptrack.)
    static func file(_ r: SiteRenderer) -> OutputFile {
        OutputFile(path: "data/search.json") { out, drain in write(r, into: &out, drain: drain) }
    }

    /// The documents in index order: entities first (a name search should show the entity before
    /// its events), then articles, then events.
    enum Document {
        case entity(Int), article(Int), event(Int)

        static func all(_ r: SiteRenderer) -> [Document] {
            r.graph.entities.indices.map(Document.entity) + r.articles.indices.map(Document.article)
                + r.graph.events.indices.map(Document.event)
        }

        /// What the browser shows for a hit: type, title, url, meta, year, kind, entities, entity kinds.
        func fields(_ r: SiteRenderer) -> [String] {
            switch self {
            case .entity(let i):
                let e = r.graph.entities[i]
                let n = r.graph.eventsByEntity[e.id]?.count ?? 0
                return ["n", e.name, r.entityURL(e.id), "\(e.kind.label) · \(n) 件事件", "", "", e.id, e.kind.rawValue]
            case .article(let i):
                let a = r.articles[i]
                return ["a", a.meta.title, r.articleURL(a.meta.slug), "\(a.meta.date.iso) · \(a.meta.source ?? "")",
                        String(a.meta.date.year), "", "", ""]
            case .event(let i):
                let e = r.graph.events[i]
                let kinds = Set(e.entities.compactMap { r.graph.entityByID[$0]?.kind.rawValue }).sorted()
                return ["e", e.headline, r.eventURL(e.id), r.dateText(e), String(e.date.year), e.kind?.slug ?? "",
                        e.entities.joined(separator: " "), kinds.joined(separator: " ")]
            }
        }

        /// The text whose grams find the document.
        func searchText(_ r: SiteRenderer) -> String {
            switch self {
            case .entity(let i):
                let e = r.graph.entities[i]
                return ([e.name] + e.aliases).joined(separator: " ")
            case .article(let i):
                let a = r.articles[i]
                return a.meta.title + " " + (a.meta.source ?? "") + " " + a.meta.tags.joined(separator: " ")
            case .event(let i):
                let e = r.graph.events[i]
                let names = e.entities.compactMap { r.graph.entityByID[$0] }
                return e.headline + " " + names.flatMap { [$0.name] + $0.aliases }.joined(separator: " ") + " " + (e.kind?.rawValue ?? "")
            }
        }
    }

    static func write(_ r: SiteRenderer, into out: inout [UInt8], drain: (inout [UInt8]) -> Void) {
        let documents = Document.all(r)
        // Grams are keyed by their scalars packed in an integer while documents are added (String
        // keys were 3.3 s of CPU at 10,000 articles, hashing a fresh two-character String per
        // bigram); they become strings once, for the output. Document numbers fit 32 bits.
        var packed: [UInt64: [UInt32]] = [:]
        var seen: [UInt64] = []
        for (id, d) in documents.enumerated() {
            let n = normalize(d.searchText(r))
            seen.removeAll(keepingCapacity: true)
            if n.count == 1 { seen.append(GramKey.single(n[0])) }
            if n.count > 1 {
                for i in 0..<(n.count - 1) { seen.append(GramKey.pair(n[i], n[i + 1])) }
            }
            seen.sort()
            var last: UInt64?
            for g in seen where g != last {
                packed[g, default: []].append(UInt32(id))
                last = g
            }
        }
        out += "{\"v\":1,\"fields\":[\"type\",\"title\",\"url\",\"meta\",\"year\",\"kind\",\"entities\",\"entityKinds\"],\n\"docs\":[\n".utf8
        for (k, d) in documents.enumerated() {
            if k > 0 { out += ",\n".utf8 }
            out.append(UInt8(ascii: "["))
            for (f, value) in d.fields(r).enumerated() {
                if f > 0 { out.append(UInt8(ascii: ",")) }
                JSONBytes.appendQuoted(value, script: false, into: &out)
            }
            out.append(UInt8(ascii: "]"))
            drain(&out)
        }
        let grams = GramKey.strings(packed)
        packed = [:]
        out += "],\n\"grams\":{".utf8
        // Each list as the differences between neighbouring document numbers, in base 36.
        for (k, g) in grams.keys.sorted().enumerated() {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            JSONBytes.appendQuoted(g, script: false, into: &out)
            out += ":\"".utf8
            var prev: UInt32 = 0
            for (j, id) in grams[g]!.enumerated() {
                if j > 0 { out.append(UInt8(ascii: ",")) }
                appendBase36(id - prev, into: &out)
                prev = id
            }
            out.append(UInt8(ascii: "\""))
            drain(&out)
        }
        out += "},\n\"fold\":".utf8
        JSONBytes.appendQuoted(foldTable(), script: false, into: &out)
        out += "}\n".utf8
    }

    /// `String(n, radix: 36)` as bytes, without a string per number.
    static func appendBase36(_ n: UInt32, into out: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var v = n
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                let r = UInt8(v % 36)
                d[count] = r < 10 ? UInt8(ascii: "0") + r : UInt8(ascii: "a") + r - 10
                count += 1
                v /= 36
            } while v > 0
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(d[i]) }
        }
    }
}

/// A search gram (one scalar, or two) as one integer.
enum GramKey {
    static let singleMark: UInt64 = 0xFFFF_FFFF

    static func pair(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> UInt64 { UInt64(a.value) << 32 | UInt64(b.value) }
    static func single(_ a: Unicode.Scalar) -> UInt64 { UInt64(a.value) << 32 | singleMark }

    static func string(_ key: UInt64) -> String {
        var g = ""
        g.unicodeScalars.append(Unicode.Scalar(UInt32(key >> 32))!)
        let second = UInt32(key & 0xFFFF_FFFF)
        if UInt64(second) != singleMark { g.unicodeScalars.append(Unicode.Scalar(second)!) }
        return g
    }

    /// The posting lists by gram string. Two keys whose strings are equal as Swift strings
    /// (canonically equivalent, e.g. a CJK compatibility ideograph and its unified form) share one
    /// list, each document once, in document order: as when the grams were String keys from the start.
    static func strings<ID: BinaryInteger & Hashable>(_ packed: [UInt64: [ID]]) -> [String: [ID]] {
        var out: [String: [ID]] = [:]
        out.reserveCapacity(packed.count)
        for (key, ids) in packed {
            let g = string(key)
            if let other = out[g] {
                out[g] = Array(Set(other).union(ids)).sorted()
            } else {
                out[g] = ids
            }
        }
        return out
    }
}
