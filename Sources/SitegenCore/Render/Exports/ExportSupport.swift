/// Shared pieces of the feeds, exports and page metadata: absolute URLs, an ordered JSON value,
/// XML escaping, and the date arithmetic every export agrees on.
///
/// Every export is hand-written with a fixed order (the graph's event order, the entity file's
/// order, the articles newest first) so two builds of the same content are byte-identical.
enum Exports {
    /// All feed and export files, each handed to `emit` as soon as it is made (from any thread),
    /// so the largest (graph.gexf is 200 MB at 10,000 articles) are freed once written. `pages`
    /// are the paths of the files rendered so far (for the sitemap). The exports are independent
    /// reads of the renderer, so they run on all cores; the paths come back in the fixed order
    /// below whatever order they finish in.
    static func write(_ r: SiteRenderer, pages: [String], emit: (OutputFile) -> Void) -> [String] {
        let jobs: [() -> [OutputFile]] = [
            { [OutputFile(path: "atom.xml", text: Feeds.eventsAtom(r)),
               OutputFile(path: "articles.xml", text: Feeds.articlesAtom(r)),
               OutputFile(path: "feed.json", text: Feeds.jsonFeed(r))] },
            { SitemapExport.files(r, pages: pages) + [OutputFile(path: "robots.txt", text: SitemapExport.robots(r))] },
            { [OutputFile(path: "data/timeline.json", text: TimelineJSExport.json(r))] },
            { [OutputFile(path: "data/events.csv", text: CSVExport.events(r))] },
            { [OutputFile(path: "data/events.ics", text: CalendarExport.ics(r))] },
            { [OutputFile(path: "data/graph.json", text: GraphExport.jsonGraph(r))] },
            { [OutputFile(path: "data/graph.gexf", text: GraphExport.gexf(r))] },
        ]
        // Started last to first: the big data files first, the small ones fill in beside them.
        let schedule = Array(jobs.indices.reversed())
        let done = Parallel.map(jobs.count, chunk: 1) { k -> [String] in
            let files = jobs[schedule[k]]()
            files.forEach(emit)
            return files.map(\.path)
        }
        var inOrder = [[String]](repeating: [], count: jobs.count)
        for (k, paths) in done.enumerated() { inOrder[schedule[k]] = paths }
        return inOrder.flatMap { $0 }
    }
}

// MARK: - URLs

extension SiteRenderer {
    /// base_url + path, with "index.html" dropped and the path percent-encoded (slugs may be
    /// Chinese). Absolute when base_url is an http(s) address, which feeds and the sitemap need;
    /// otherwise site-absolute ("/timeline/…"). Works for sub-path deployments: base_url
    /// "https://host/timeline/" gives "https://host/timeline/events/e1/".
    public func absoluteURL(_ path: String, fragment: String? = nil) -> String {
        var p = path
        if p.hasSuffix("index.html") { p.removeLast("index.html".count) }
        let base = hasAbsoluteBase ? config.baseURL : config.basePath
        var out = base + URLText.encodePath(p)
        if let fragment { out += "#" + URLText.encodePath(fragment) }
        return out
    }

    /// True when base_url is an http(s) address, so `absoluteURL` gives full URLs.
    var hasAbsoluteBase: Bool { config.baseURL.hasPrefix("http://") || config.baseURL.hasPrefix("https://") }

    /// The host of base_url ("example.org"), for calendar UIDs; "sitegen.invalid" when there is none.
    var baseHost: String {
        guard let r = config.baseURL.range(of: "://") else { return "sitegen.invalid" }
        let rest = config.baseURL[r.upperBound...]
        let host = rest.prefix { $0 != "/" && $0 != ":" }
        return host.isEmpty ? "sitegen.invalid" : String(host)
    }

    /// A permanent id for a feed entry: its absolute URL, or a URN when base_url is only a path
    /// (Atom and JSON Feed ids must be absolute IRIs).
    func feedID(_ path: String) -> String {
        if hasAbsoluteBase { return absoluteURL(path) }
        var p = path
        if p.hasSuffix("/index.html") { p.removeLast("/index.html".count) }
        return "urn:sitegen:" + URLText.encodePath(p).replacingOccurrences(of: "/", with: ":")
    }

    func eventPath(_ id: String) -> String { "events/\(id).html" }
    func entityPath(_ id: String) -> String { "entities/\(id)/index.html" }
    func articlePath(_ slug: String) -> String { "articles/\(slug)/index.html" }
    func yearPath(_ y: Int) -> String { "years/\(y)/index.html" }

    // MARK: event facts shared by the exports

    /// The articles that report an event, in source order, without repeats.
    func sourceArticles(_ e: TimelineEvent) -> [ParsedArticle] {
        var seen: Set<String> = []
        return e.sources.compactMap { s in
            guard seen.insert(s.articleSlug).inserted else { return nil }
            return articleBySlug[s.articleSlug]
        }
    }

    /// Earliest and latest publication dates of the articles reporting an event: the entry's
    /// "published" and "updated" in the feeds.
    func reportedDates(_ e: TimelineEvent) -> (first: CivilDate, last: CivilDate) {
        let dates = sourceArticles(e).map(\.meta.date)
        guard let lo = dates.min(), let hi = dates.max() else { return (e.date.firstDay, e.date.lastDay) }
        return (lo, hi)
    }

    /// The calendar days an event covers: its period, through the range end when there is one.
    func span(_ e: TimelineEvent) -> (first: CivilDate, last: CivilDate) {
        let first = e.date.firstDay
        var last = (e.end ?? e.date).lastDay
        if last < first { last = e.date.lastDay }
        return (first, last)
    }

    /// The most specific entity of an event (the first product named, else the first entity),
    /// the same rule the graph merges by.
    func mainEntity(_ e: TimelineEvent) -> Entity? {
        let ids = e.entities + e.impliedEntities
        let id = ids.first { graph.entityByID[$0]?.kind == .product } ?? ids.first
        return id.flatMap { graph.entityByID[$0] }
    }

    /// Indices of the events, newest first (by the date they happened; ties keep reverse timeline order).
    var newestFirst: [Int] {
        graph.events.indices.sorted { a, b in
            let x = graph.events[a].sortDay, y = graph.events[b].sortDay
            return x != y ? x > y : a > b
        }
    }

    /// The latest publication date of any article: the feeds' and calendar's stable "now".
    var latestArticleDate: CivilDate {
        articles.map(\.meta.date).max() ?? CivilDate(year: 1970, month: 1, day: 1)
    }

    /// 「精度：月」 and the modifier in words, for descriptions.
    func precisionNote(_ e: TimelineEvent) -> String {
        var s = "日期精度：" + DateDisplay.precisionLabel(e.date.precision)
        switch e.mod {
        case .start: s += "（初）"
        case .mid: s += "（中）"
        case .end: s += "（末）"
        case nil: break
        }
        if e.end != nil { s += "，为一段时间" }
        return s
    }

    /// A small HTML description of an event for feeds: date, quotes with their articles, entities.
    func eventHTML(_ e: TimelineEvent) -> String {
        var h = "<p><strong>\(XMLText.escape(dateText(e)))</strong>（\(XMLText.escape(precisionNote(e)))）</p>"
        for s in e.sources {
            h += "<blockquote><p>\(XMLText.escape(s.quote))</p></blockquote>"
            if let a = articleBySlug[s.articleSlug] {
                h += "<p>来源：<a href=\"\(XMLText.escape(absoluteURL(articlePath(a.meta.slug), fragment: "e-" + e.id)))\">\(XMLText.escape(a.meta.title))</a>"
                if let pub = a.meta.source { h += "，\(XMLText.escape(pub))" }
                h += "，\(a.meta.date.iso)</p>"
            }
        }
        let chips = (e.entities + e.impliedEntities).compactMap { graph.entityByID[$0] }
        if !chips.isEmpty {
            h += "<p>相关：" + chips.map { "<a href=\"\(XMLText.escape(absoluteURL(entityPath($0.id))))\">\(XMLText.escape($0.name))</a>" }.joined(separator: "、") + "</p>"
        }
        return h
    }
}

// MARK: - dates

enum ExportDate {
    /// RFC 3339 timestamp of a calendar day at midnight UTC (article dates are days, not instants).
    static func rfc3339(_ d: CivilDate) -> String { d.iso + "T00:00:00Z" }

    /// A period as an ISO 8601 date at its own precision, for schema.org: 2024-05-15, 2024-05,
    /// 2024, 2024-W20; quarters and halves as their first (or last) month.
    static func iso8601(_ v: TemporalValue, last: Bool = false) -> String {
        switch v.unit {
        case .day, .month, .week, .year: return v.string
        case .quarter, .half:
            let d = last ? v.lastDay : v.firstDay
            return "\(CivilDate.pad(d.year, 4))-\(CivilDate.pad(d.month, 2))"
        }
    }
}

// MARK: - URL and XML text

enum URLText {
    /// Percent-encodes everything but unreserved characters and "/" (UTF-8, upper-case hex).
    static func encodePath(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = String(b, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}

enum XMLText {
    /// Escapes text for XML content and attribute values alike, and drops the characters XML 1.0
    /// does not allow (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF). Tabs and line
    /// breaks become character references so they survive attribute normalization.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t": out += "&#9;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            default:
                if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }
}

// MARK: - ordered JSON

/// A JSON value whose objects keep their key order, written by hand so output is byte-stable.
/// Strings go through `JSONText.quote`, so the text is also safe inside an HTML `<script>`.
indirect enum JSONValue {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])
    /// An array whose elements are made while it is written and dropped right after: the long
    /// lists of the exports (every event, node or edge) are never held as a tree.
    case generatedArray((_ yield: (JSONValue) -> Void) -> Void)
    /// An object whose members are made while it is written (see `generatedArray`).
    case generatedObject((_ yield: (String, JSONValue) -> Void) -> Void)

    /// An object from pairs, leaving out the nil ones.
    static func obj(_ pairs: [(String, JSONValue?)]) -> JSONValue {
        .object(pairs.compactMap { k, v in v.map { (k, $0) } })
    }

    static func str(_ s: String?) -> JSONValue? { s.map { .string($0) } }

    /// Compact text.
    var compact: String { compact(quote: JSONText.quote) }

    /// Compact text for a `<script>` element in a page (JSON-LD): as `compact`, and double quotes
    /// inside strings are written `\u0022`, so no attribute-like text (`" onload=`) appears in the
    /// HTML even inside the script.
    var scriptCompact: String { compact(quote: Self.scriptQuote) }

    static func scriptQuote(_ s: String) -> String {
        guard s.utf8.contains(UInt8(ascii: "\"")) else { return JSONText.quote(s) }
        return "\"" + s.split(separator: "\"", omittingEmptySubsequences: false)
            .map { JSONText.quote(String($0)).dropFirst().dropLast() }.joined(separator: "\\u0022") + "\""
    }

    func compact(quote: (String) -> String) -> String {
        var out = ""
        write(into: &out, pretty: false, level: 0, quote: quote)
        return out
    }

    /// Indented text (two spaces), ending without a newline. Arrays and objects nested
    /// `compactFrom` levels deep or more (the root is level 0) are written compact, so a long list
    /// of records can take one line per record instead of one line per field.
    func pretty(compactFrom: Int = .max) -> String {
        var out = ""
        write(into: &out, pretty: true, level: 0, quote: JSONText.quote, compactFrom: compactFrom)
        return out
    }

    /// Appends the value's text to `out` (one buffer for the whole document, so large exports
    /// are not copied level by level).
    func write(into out: inout String, pretty: Bool, level: Int, quote: (String) -> String, compactFrom: Int = .max) {
        let pretty = pretty && level < compactFrom
        switch self {
        case .string(let s): out += quote(s)
        case .int(let i): out += String(i)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .array(let a):
            if a.isEmpty { out += "[]"; return }
            out += "["
            for (k, v) in a.enumerated() {
                if k > 0 { out += "," }
                if pretty { newline(&out, level + 1) }
                v.write(into: &out, pretty: pretty, level: level + 1, quote: quote, compactFrom: compactFrom)
            }
            if pretty { newline(&out, level) }
            out += "]"
        case .object(let o):
            if o.isEmpty { out += "{}"; return }
            out += "{"
            for (k, pair) in o.enumerated() {
                if k > 0 { out += "," }
                if pretty { newline(&out, level + 1) }
                out += quote(pair.0)
                out += pretty ? ": " : ":"
                pair.1.write(into: &out, pretty: pretty, level: level + 1, quote: quote, compactFrom: compactFrom)
            }
            if pretty { newline(&out, level) }
            out += "}"
        case .generatedArray(let generate):
            var k = 0
            generate { v in
                out += k == 0 ? "[" : ","
                if pretty { newline(&out, level + 1) }
                v.write(into: &out, pretty: pretty, level: level + 1, quote: quote, compactFrom: compactFrom)
                k += 1
            }
            if k == 0 { out += "[]"; return }
            if pretty { newline(&out, level) }
            out += "]"
        case .generatedObject(let generate):
            var k = 0
            generate { key, v in
                out += k == 0 ? "{" : ","
                if pretty { newline(&out, level + 1) }
                out += quote(key)
                out += pretty ? ": " : ":"
                v.write(into: &out, pretty: pretty, level: level + 1, quote: quote, compactFrom: compactFrom)
                k += 1
            }
            if k == 0 { out += "{}"; return }
            if pretty { newline(&out, level) }
            out += "}"
        }
    }

    private func newline(_ out: inout String, _ level: Int) {
        out += "\n"
        for _ in 0..<level { out += "  " }
    }
}
