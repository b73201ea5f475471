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
            // The data files are made while they are written (see `OutputFile.Producer`).
            { [OutputFile(path: "data/timeline.json") { TimelineJSExport.json(r, into: &$0, drain: $1) }] },
            { [OutputFile(path: "data/events.csv") { CSVExport.events(r, into: &$0, drain: $1) }] },
            { [OutputFile(path: "data/events.ics") { CalendarExport.ics(r, into: &$0, drain: $1) }] },
            { [OutputFile(path: "data/graph.json") { GraphExport.jsonGraph(r, into: &$0, drain: $1) }] },
            { [OutputFile(path: "data/graph.gexf") { GraphExport.gexf(r, into: &$0, drain: $1) }] },
            // The data contract; built alone before the other exports it took a core's whole
            // time while the other waited.
            { [OutputFile(path: "data/events.json") { DataExport.eventsJSON(r, into: &$0, drain: $1) }] },
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
        case .approx: s += "（约）"
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

// The writers below work on UTF-8 bytes and copy runs that need no escaping in one piece: every
// character they replace is ASCII (or U+2028/U+2029, U+FFFE/U+FFFF, matched as their whole UTF-8
// sequence), and a byte below 0x80 is always a whole scalar. perf at 2,000 articles had
// `JSONText.quote` at 2.4% of build CPU (a new string per quoted value) and XML escaping and URL
// encoding, scalar by scalar, at about 1% each.

enum URLText {
    /// Percent-encodes everything but unreserved characters and "/" (UTF-8, upper-case hex).
    static func encodePath(_ s: String) -> String {
        TextSearch.withUTF8(s) { bytes -> String in
            guard !bytes.allSatisfy(isUnreserved) else { return s }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count * 3)
            for b in bytes {
                if isUnreserved(b) {
                    out.append(b)
                } else {
                    out.append(UInt8(ascii: "%"))
                    out.append(upperHex[Int(b >> 4)])
                    out.append(upperHex[Int(b & 0x0F)])
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    @inline(__always)
    static func isUnreserved(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
             UInt8(ascii: "~"), UInt8(ascii: "/"):
            return true
        default:
            return false
        }
    }

    static let upperHex = Array("0123456789ABCDEF".utf8)
}

enum XMLText {
    /// Escapes text for XML content and attribute values alike, and drops the characters XML 1.0
    /// does not allow (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF). Tabs and line
    /// breaks become character references so they survive attribute normalization.
    static func escape(_ s: String) -> String {
        let clean = TextSearch.withUTF8(s) { firstSpecial($0, from: 0) == nil }
        if clean { return s }
        var out: [UInt8] = []
        append(s, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `escape(s)`, appended to `out` as UTF-8.
    static func append(_ s: String, into out: inout [UInt8]) {
        TextSearch.withUTF8(s) { bytes in
            var run = 0
            while let i = firstSpecial(bytes, from: run) {
                out += UnsafeBufferPointer(rebasing: bytes[run..<i])
                let b = bytes[i]
                run = i + 1
                switch b {
                case UInt8(ascii: "&"): out += "&amp;".utf8
                case UInt8(ascii: "<"): out += "&lt;".utf8
                case UInt8(ascii: ">"): out += "&gt;".utf8
                case UInt8(ascii: "\""): out += "&quot;".utf8
                case UInt8(ascii: "'"): out += "&apos;".utf8
                case 0x09: out += "&#9;".utf8
                case 0x0A: out += "&#10;".utf8
                case 0x0D: out += "&#13;".utf8
                case 0xEF: run = i + 3 // U+FFFE or U+FFFF: dropped
                default: break // other C0 controls: dropped
                }
            }
            out += UnsafeBufferPointer(rebasing: bytes[run...])
        }
    }

    /// The offset of the next byte that starts something `escape` replaces or drops.
    @inline(__always)
    static func firstSpecial(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case 0x00..<0x20, UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"):
                return i
            case 0xEF:
                // U+FFFE / U+FFFF are EF BF BE / EF BF BF.
                if i + 2 < bytes.count, bytes[i + 1] == 0xBF, bytes[i + 2] == 0xBE || bytes[i + 2] == 0xBF { return i }
            default:
                break
            }
            i += 1
        }
        return nil
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

    /// How strings are written: `JSONText.quote`'s text, the same with `"` as `\u0022`
    /// (`scriptQuote`), or any other function.
    enum Quoting {
        case plain, script
        case custom((String) -> String)
    }

    /// Compact text.
    var compact: String { text(pretty: false, quoting: .plain) }

    /// Compact text for a `<script>` element in a page (JSON-LD): as `compact`, and double quotes
    /// inside strings are written `\u0022`, so no attribute-like text (`" onload=`) appears in the
    /// HTML even inside the script.
    var scriptCompact: String { text(pretty: false, quoting: .script) }

    static func scriptQuote(_ s: String) -> String {
        var out: [UInt8] = []
        JSONBytes.appendQuoted(s, script: true, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func compact(quote: @escaping (String) -> String) -> String {
        text(pretty: false, quoting: .custom(quote))
    }

    /// Indented text (two spaces), ending without a newline. Arrays and objects nested
    /// `compactFrom` levels deep or more (the root is level 0) are written compact, so a long list
    /// of records can take one line per record instead of one line per field.
    func pretty(compactFrom: Int = .max) -> String {
        text(pretty: true, quoting: .plain, compactFrom: compactFrom)
    }

    /// `pretty(compactFrom:)` plus a final newline, as bytes: the large exports (graph.json is
    /// 120 MB at 10,000 articles) go to the file without a String copy.
    func prettyFile(compactFrom: Int) -> [UInt8] {
        var out: [UInt8] = []
        prettyFile(compactFrom: compactFrom, into: &out, drain: { _ in })
        return out
    }

    /// `prettyFile(compactFrom:)` made piece by piece: `drain` is offered the bytes after each
    /// element of a generated list (see `OutputFile.Producer`).
    func prettyFile(compactFrom: Int, into out: inout [UInt8], drain: (inout [UInt8]) -> Void) {
        withoutActuallyEscaping(drain) { drain in
            write(into: &out, pretty: true, level: 0, quoting: .plain, compactFrom: compactFrom, drain: drain)
        }
        out.append(UInt8(ascii: "\n"))
    }

    private func text(pretty: Bool, quoting: Quoting, compactFrom: Int = .max) -> String {
        var out: [UInt8] = []
        write(into: &out, pretty: pretty, level: 0, quoting: quoting, compactFrom: compactFrom)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the value's UTF-8 text to `out` (one buffer for the whole document, so large exports
    /// are not copied level by level).
    func write(into out: inout [UInt8], pretty: Bool, level: Int, quoting: Quoting, compactFrom: Int = .max,
               drain: ((inout [UInt8]) -> Void)? = nil) {
        let pretty = pretty && level < compactFrom
        switch self {
        case .string(let s): Self.appendQuoted(s, quoting, into: &out)
        case .int(let i): out += String(i).utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .null: out += "null".utf8
        case .array(let a):
            if a.isEmpty { out += "[]".utf8; return }
            out.append(UInt8(ascii: "["))
            for (k, v) in a.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { Self.newline(&out, level + 1) }
                v.write(into: &out, pretty: pretty, level: level + 1, quoting: quoting, compactFrom: compactFrom, drain: drain)
            }
            if pretty { Self.newline(&out, level) }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            if o.isEmpty { out += "{}".utf8; return }
            out.append(UInt8(ascii: "{"))
            for (k, pair) in o.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { Self.newline(&out, level + 1) }
                Self.appendQuoted(pair.0, quoting, into: &out)
                if pretty { out += ": ".utf8 } else { out.append(UInt8(ascii: ":")) }
                pair.1.write(into: &out, pretty: pretty, level: level + 1, quoting: quoting, compactFrom: compactFrom, drain: drain)
            }
            if pretty { Self.newline(&out, level) }
            out.append(UInt8(ascii: "}"))
        case .generatedArray(let generate):
            var k = 0
            generate { v in
                out.append(k == 0 ? UInt8(ascii: "[") : UInt8(ascii: ","))
                if pretty { Self.newline(&out, level + 1) }
                v.write(into: &out, pretty: pretty, level: level + 1, quoting: quoting, compactFrom: compactFrom, drain: drain)
                k += 1
                drain?(&out)
            }
            if k == 0 { out += "[]".utf8; return }
            if pretty { Self.newline(&out, level) }
            out.append(UInt8(ascii: "]"))
        case .generatedObject(let generate):
            var k = 0
            generate { key, v in
                out.append(k == 0 ? UInt8(ascii: "{") : UInt8(ascii: ","))
                if pretty { Self.newline(&out, level + 1) }
                Self.appendQuoted(key, quoting, into: &out)
                if pretty { out += ": ".utf8 } else { out.append(UInt8(ascii: ":")) }
                v.write(into: &out, pretty: pretty, level: level + 1, quoting: quoting, compactFrom: compactFrom, drain: drain)
                k += 1
                drain?(&out)
            }
            if k == 0 { out += "{}".utf8; return }
            if pretty { Self.newline(&out, level) }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func appendQuoted(_ s: String, _ quoting: Quoting, into out: inout [UInt8]) {
        switch quoting {
        case .plain: JSONBytes.appendQuoted(s, script: false, into: &out)
        case .script: JSONBytes.appendQuoted(s, script: true, into: &out)
        case .custom(let quote): out += quote(s).utf8
        }
    }

    private static func newline(_ out: inout [UInt8], _ level: Int) {
        out.append(0x0A)
        for _ in 0..<level { out += "  ".utf8 }
    }
}

/// `JSONText.quote` (and `JSONValue.scriptQuote`) written straight into UTF-8 bytes: the same
/// text, without a new string per value.
enum JSONBytes {
    static func appendQuoted(_ s: String, script: Bool, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        TextSearch.withUTF8(s) { bytes in
            var run = 0
            var i = 0
            let n = bytes.count
            while i < n {
                let b = bytes[i]
                let escape: String
                var width = 1
                switch b {
                case UInt8(ascii: "\""): escape = script ? "\\u0022" : "\\\""
                case UInt8(ascii: "\\"): escape = "\\\\"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                case UInt8(ascii: "<"): escape = "\\u003c"
                case UInt8(ascii: ">"): escape = "\\u003e"
                case UInt8(ascii: "&"): escape = "\\u0026"
                case 0x00..<0x20:
                    escape = "\\u00" + (b < 0x10 ? "0" : "") + String(b, radix: 16)
                case 0xE2 where i + 2 < n && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                    // U+2028 / U+2029 (E2 80 A8 / E2 80 A9).
                    escape = bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                    width = 3
                default:
                    i += 1
                    continue
                }
                if run < i { out += UnsafeBufferPointer(rebasing: bytes[run..<i]) }
                out += escape.utf8
                i += width
                run = i
            }
            if run < n { out += UnsafeBufferPointer(rebasing: bytes[run..<n]) }
        }
        out.append(UInt8(ascii: "\""))
    }
}
