import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import SitegenCore

/// Structure of the feeds and data exports (issue 8): ICS folding and CRLF, CSV quoting, XML
/// well-formedness, ordering, byte-stable output, sub-path URLs, JSON-LD in pages. The Python
/// suite (tests/python/test_exports.py) validates the same files with independent parsers.
@Suite struct ExportTests {
    /// A small corpus with awkward text: a Chinese file name, quotes, ampersands, commas,
    /// semicolons, backslashes and a long sentence (for ICS folding).
    static func corpus(_ dir: TempDir, base: String, siteExtra: String = "", entitiesExtra: String = "") {
        dir.write("content/site.yml", "title: 测试时间线\ndescription: 用于测试的时间线，含“引号”与 & 符号\nlanguage: zh-CN\nbase_url: \(base)\nauthor: 测试\n" + siteExtra)
        dir.write("content/entities.yml", """
            - id: bytedance
              name: 字节跳动
              kind: company
            - id: doubao
              name: 豆包
              kind: product
              parent: bytedance
            - id: alibaba
              name: 阿里巴巴
              kind: company
            - id: qwen
              name: 通义千问
              kind: product
              parent: alibaba
            - id: baidu
              name: 百度
              kind: company

            """ + entitiesExtra)
        dir.write("content/articles/a.md", """
            ---
            title: 大模型价格战
            date: 2024-10-08
            source: 测试日报
            source_url: https://news.example.com/a?id=1&from=feed
            author: [张三, 李四]
            summary: 大模型降价与发布
            tags: [大模型, 价格]
            ---
            2024年5月15日，字节跳动发布豆包大模型，定价“0.0008元/千Tokens”，比行业便宜99.3%，引发行业关注。

            2024年第三季度，阿里巴巴推出通义千问新版本。

            今年8月底至9月，百度宣布文心大模型免费开放。

            2023年，字节跳动布局大模型业务。

            2024年上半年，阿里巴巴发布多款大模型。

            """)
        dir.write("content/articles/测试文章.md", """
            ---
            title: "引号\\"与<尖括号>&符号，逗号;分号\\\\反斜杠"
            date: 2024-11-20
            source: 测试周刊
            ---
            2024年11月18日，百度发布"千帆,Pro"\\\\<版>&大模型，名称含“逗号,分号;反斜杠”，这是一段故意写得很长的句子，用来检查日历文件按七十五个八位组折行时不会拆开多字节的中文字符。

            """)
    }

    struct Site {
        let files: [String: String]
        let graph: EventGraph
        var result: SiteBuilder.Result
        subscript(_ path: String) -> String { files[path] ?? "" }

        /// A renderer of the same site, for calling one export directly.
        func renderer() throws -> SiteRenderer {
            SiteRenderer(config: result.content.config, graph: result.graph, articles: result.parsed,
                         templates: try TemplateSet(directory: Repo.templates))
        }
    }

    /// Builds the small corpus (`siteExtra` is appended to its site.yml, `articles` are extra
    /// files under content/articles/).
    static func build(base: String = "https://example.org/", siteExtra: String = "", entitiesExtra: String = "",
                      articles: [String: String] = [:]) throws -> Site {
        let dir = TempDir()
        corpus(dir, base: base, siteExtra: siteExtra, entitiesExtra: entitiesExtra)
        for (name, text) in articles { dir.write("content/articles/" + name, text) }
        let builder = SiteBuilder(options: .init(content: dir.url.appendingPathComponent("content"), templates: Repo.templates,
                                                 output: dir.url.appendingPathComponent("public")))
        var timings: [(String, Double)] = []
        let result = try builder.run(timings: &timings)
        var files: [String: String] = [:]
        for f in result.files { files[f.path] = String(decoding: f.bytes, as: UTF8.self) }
        return Site(files: files, graph: result.graph, result: result)
    }

    static let exportPaths = ["atom.xml", "articles.xml", "feed.json", "sitemap.xml", "robots.txt", "data/timeline.json",
                              "data/events.csv", "data/events.ics", "data/graph.json", "data/graph.gexf"]

    @Test func everyExportIsWritten() throws {
        let site = try Self.build()
        #expect(site.graph.events.count >= 5)
        for p in Self.exportPaths { #expect(!site[p].isEmpty, "missing \(p)") }
    }

    // MARK: ICS

    @Test func foldingKeepsLinesAt75OctetsAndNeverSplitsACharacter() {
        let line = "DESCRIPTION:" + String(repeating: "豆包大模型a", count: 40)
        let folded = CalendarExport.fold(line)
        #expect(folded.hasSuffix("\r\n"))
        let bytes = Array(folded.utf8)
        var physical: [[UInt8]] = [[]]
        var i = 0
        while i < bytes.count {
            if bytes[i] == 13, i + 1 < bytes.count, bytes[i + 1] == 10 { physical.append([]); i += 2; continue }
            physical[physical.count - 1].append(bytes[i])
            i += 1
        }
        physical.removeLast()  // after the final CRLF
        #expect(physical.count > 1)
        for (n, l) in physical.enumerated() {
            #expect(l.count <= 75)
            #expect(String(validating: l, as: UTF8.self) != nil, "line \(n) splits a UTF-8 character")
            if n > 0 { #expect(l.first == UInt8(ascii: " ")) }
        }
        // Unfolding (remove CRLF + one space) restores the line.
        #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == line + "\r\n")
    }

    @Test func icsTextIsEscaped() {
        #expect(CalendarExport.text("a,b;c\\d\ne\u{1}") == "a\\,b\\;c\\\\d\\ne")
    }

    @Test func calendarHasCRLFLinesAllDayEventsAndStableUIDs() throws {
        let site = try Self.build()
        let ics = site["data/events.ics"]
        #expect(ics.hasPrefix("BEGIN:VCALENDAR\r\n"))
        #expect(ics.hasSuffix("END:VCALENDAR\r\n"))
        let bytes = Array(ics.utf8)
        for (i, b) in bytes.enumerated() where b == 10 { #expect(i > 0 && bytes[i - 1] == 13, "bare LF at byte \(i)") }
        for l in ics.components(separatedBy: "\r\n") { #expect(l.utf8.count <= 75) }
        let unfolded = ics.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n")
        #expect(unfolded.filter { $0 == "BEGIN:VEVENT" }.count == site.graph.events.count)
        let uids = unfolded.filter { $0.hasPrefix("UID:") }
        #expect(Set(uids).count == site.graph.events.count)
        for e in site.graph.events { #expect(uids.contains("UID:\(e.id)@example.org")) }
        // A day event covers its day; a quarter its three months; a coarse one says how precise it is.
        #expect(unfolded.contains("DTSTART;VALUE=DATE:20240515"))
        #expect(unfolded.contains("DTEND;VALUE=DATE:20240516"))
        #expect(unfolded.contains("DTSTART;VALUE=DATE:20240701"))
        #expect(unfolded.contains("DTEND;VALUE=DATE:20241001"))
        #expect(unfolded.contains { $0.hasPrefix("DESCRIPTION:") && $0.contains("日期精度：季度") })
        // 「今年8月底至9月」: August through September.
        #expect(unfolded.contains("DTSTART;VALUE=DATE:20240801"))
        #expect(unfolded.contains("DTEND;VALUE=DATE:20241001"))
        #expect(!unfolded.contains { $0.hasPrefix("DTSTART:") }, "every event is all-day (VALUE=DATE)")
    }

    @Test func periodsBreakDownAtTheirPrecision() throws {
        func v(_ s: String) throws -> TemporalValue { try #require(TemporalValue(string: s)) }
        #expect(ExportDate.iso8601(try v("2024-W20")) == "2024-W20")
        #expect(ExportDate.iso8601(try v("2024-Q3")) == "2024-07")
        #expect(ExportDate.iso8601(try v("2024-Q3"), last: true) == "2024-09")
        #expect(ExportDate.iso8601(try v("2024-H2"), last: true) == "2024-12")
        #expect(TimelineJSExport.dateObject(try v("2024-W01"), last: false).compact == "{\"year\":2024,\"month\":1,\"day\":1}")
        #expect(TimelineJSExport.dateObject(try v("2024-W01"), last: true).compact == "{\"year\":2024,\"month\":1,\"day\":7}")
        #expect(TimelineJSExport.dateObject(try v("2024-H2"), last: false).compact == "{\"year\":2024,\"month\":7}")
        #expect(TimelineJSExport.dateObject(try v("2024-05"), last: true).compact == "{\"year\":2024,\"month\":5}")
        #expect(TimelineJSExport.dateObject(try v("2024"), last: false).compact == "{\"year\":2024}")
        #expect(URLText.encodePath("articles/测试 a/") == "articles/%E6%B5%8B%E8%AF%95%20a/")
    }

    // MARK: CSV

    @Test func csvFieldsAreQuotedPerRFC4180() {
        #expect(CSVExport.field("plain") == "plain")
        #expect(CSVExport.field("a,b") == "\"a,b\"")
        #expect(CSVExport.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVExport.field("two\nlines") == "\"two\nlines\"")
        #expect(CSVExport.field("crlf\r\nend") == "\"crlf\r\nend\"")
    }

    @Test func csvParsesBackRowByRow() throws {
        let site = try Self.build()
        let csv = site["data/events.csv"]
        #expect(csv.hasSuffix("\r\n"))
        let rows = Self.parseCSV(csv)
        #expect(rows.first == CSVExport.header)
        #expect(rows.count == site.graph.events.count + 1)
        for r in rows { #expect(r.count == CSVExport.header.count) }
        #expect(rows.dropFirst().map { $0[0] } == site.graph.events.map(\.id))
        let hostile = try #require(rows.first { $0[6].contains("千帆") }, "\(rows.map { $0[6] })")
        #expect(hostile[6].contains("\"千帆,Pro\"\\<版>&"), "\(hostile[6])")
    }

    /// A minimal RFC 4180 reader, independent of the writer.
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false
        var it = Array(text.unicodeScalars)[...]
        while let c = it.popFirst() {
            if quoted {
                if c == "\"" {
                    if it.first == "\"" { field.unicodeScalars.append("\""); it.removeFirst() } else { quoted = false }
                } else { field.unicodeScalars.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\r", it.first == "\n" {
                it.removeFirst(); row.append(field); rows.append(row); row = []; field = ""
            } else {
                field.unicodeScalars.append(c)
            }
        }
        return rows
    }

    // MARK: XML

    final class Collector: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        var texts: [String: [String]] = [:]
        var current = ""
        var stack: [String] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            elements.append((name, attributes)); stack.append(name); current = ""
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            let path = stack.joined(separator: "/")
            texts[path, default: []].append(current)
            stack.removeLast(); current = ""
        }
    }

    static func parseXML(_ text: String) -> (ok: Bool, collector: Collector, error: String) {
        let p = XMLParser(data: Data(text.utf8))
        let c = Collector()
        p.delegate = c
        let ok = p.parse()
        return (ok, c, p.parserError.map { "\($0)" } ?? "")
    }

    @Test func xmlExportsAreWellFormed() throws {
        let site = try Self.build()
        for path in ["atom.xml", "articles.xml", "sitemap.xml", "data/graph.gexf"] {
            let r = Self.parseXML(site[path])
            #expect(r.ok, "\(path): \(r.error)")
        }
        #expect(XMLText.escape("a\u{1}b<&\"'") == "ab&lt;&amp;&quot;&apos;")
        // The hostile article title survives the round trip through XML.
        let atom = Self.parseXML(site["articles.xml"]).collector
        #expect(atom.texts["feed/entry/title"]?.contains("引号\"与<尖括号>&符号，逗号;分号\\反斜杠") == true)
    }

    @Test func atomEntriesAreNewestFirstAndLinkToPermalinks() throws {
        let site = try Self.build()
        let c = Self.parseXML(site["atom.xml"]).collector
        let ids = c.texts["feed/entry/id"] ?? []
        #expect(ids.count == site.graph.events.count)
        let byURL = Dictionary(uniqueKeysWithValues: site.graph.events.map { ("https://example.org/events/\($0.id).html", $0) })
        let days = ids.compactMap { byURL[$0]?.sortDay }
        #expect(days.count == ids.count)
        #expect(days == days.sorted(by: >))
        let articleDates = Self.parseXML(site["articles.xml"]).collector.texts["feed/entry/published"] ?? []
        #expect(articleDates == articleDates.sorted(by: >))
        #expect(articleDates.count == 2)
    }

    @Test func outputIsByteIdenticalAcrossBuilds() throws {
        let a = try Self.build(), b = try Self.build()
        for p in Self.exportPaths { #expect(a[p] == b[p], "\(p) differs between builds") }
        #expect(a.files == b.files)
    }

    // MARK: URLs

    @Test func subPathDeploymentPrefixesEveryURL() throws {
        let site = try Self.build(base: "https://host/timeline/")
        let locs = Self.parseXML(site["sitemap.xml"]).collector.texts["urlset/url/loc"] ?? []
        #expect(!locs.isEmpty)
        for l in locs { #expect(l.hasPrefix("https://host/timeline/"), "\(l)") }
        #expect(locs.contains("https://host/timeline/"))
        // The Chinese slug is percent-encoded.
        let encoded = "https://host/timeline/articles/" + URLText.encodePath("测试文章") + "/"
        #expect(locs.contains(encoded))
        #expect(encoded.allSatisfy { $0.isASCII })
        #expect(site["robots.txt"].contains("Sitemap: https://host/timeline/sitemap.xml\n"))
        let atom = Self.parseXML(site["atom.xml"]).collector
        for e in atom.elements where e.name == "link" {
            let href = e.attributes["href"] ?? ""
            if e.attributes["rel"] != "via" { #expect(href.hasPrefix("https://host/timeline/"), "\(href)") }
        }
        for (path, html) in site.files where path.hasSuffix(".html") {
            for href in EndToEndTests.matches(html, prefix: "href=\"") where href.hasPrefix("/") {
                #expect(href.hasPrefix("/timeline/"), "\(path): \(href)")
            }
            for href in EndToEndTests.matches(html, prefix: "content=\"") where href.hasPrefix("http") {
                #expect(href.hasPrefix("https://host/timeline/"), "\(path): \(href)")
            }
            #expect(EndToEndTests.matches(html, prefix: "<link rel=\"canonical\" href=\"").allSatisfy { $0.hasPrefix("https://host/timeline/") })
        }
        let feed = try JSONSerialization.jsonObject(with: Data(site["feed.json"].utf8)) as! [String: Any]
        #expect(feed["feed_url"] as? String == "https://host/timeline/feed.json")
    }

    @Test func pathOnlyBaseGivesURNIdsAndSiteAbsoluteLinks() throws {
        let site = try Self.build(base: "/")
        let c = Self.parseXML(site["atom.xml"]).collector
        #expect((c.texts["feed/entry/id"] ?? []).allSatisfy { $0.hasPrefix("urn:sitegen:events:") })
        #expect(!site["data/events.ics"].contains("URL:"))
        #expect(site["robots.txt"].contains("Sitemap: /sitemap.xml"))
    }

    // MARK: JSON

    @Test func jsonExportsParseAndCoverEveryEvent() throws {
        let site = try Self.build()
        let n = site.graph.events.count
        let feed = try JSONSerialization.jsonObject(with: Data(site["feed.json"].utf8)) as! [String: Any]
        #expect(feed["version"] as? String == "https://jsonfeed.org/version/1.1")
        #expect((feed["items"] as? [[String: Any]])?.count == n)
        let tl = try JSONSerialization.jsonObject(with: Data(site["data/timeline.json"].utf8)) as! [String: Any]
        let slides = tl["events"] as! [[String: Any]]
        #expect(slides.map { $0["unique_id"] as! String } == site.graph.events.map(\.id))
        let may15 = try #require(slides.first { ($0["display_date"] as? String) == "2024年5月15日" })
        let start = may15["start_date"] as! [String: Any]
        #expect(start["year"] as? Int == 2024 && start["month"] as? Int == 5 && start["day"] as? Int == 15)
        let year = try #require(slides.first { ($0["display_date"] as? String) == "2023年" })
        #expect(Set((year["start_date"] as! [String: Any]).keys) == ["year"])
        #expect((tl["eras"] as? [Any])?.count == Set(site.graph.events.map(\.date.year)).count)
        let g = try JSONSerialization.jsonObject(with: Data(site["data/graph.json"].utf8)) as! [String: Any]
        let graph = g["graph"] as! [String: Any]
        let nodes = graph["nodes"] as! [String: Any]
        let edges = graph["edges"] as! [[String: Any]]
        for e in edges {
            #expect(nodes[e["source"] as! String] != nil && nodes[e["target"] as! String] != nil)
        }
        let relations = Set(edges.map { $0["relation"] as! String })
        #expect(relations.isSuperset(of: ["mentions", "reported_by", "parent_of", "same_entity_next"]))
    }

    @Test func pagesCarryParseableJSONLDOfTheRightType() throws {
        let site = try Self.build()
        var seen: Set<String> = []
        for (path, html) in site.files where path.hasSuffix(".html") {
            guard let r = html.range(of: "<script type=\"application/ld+json\">") else { continue }
            let rest = html[r.upperBound...]
            let end = try #require(rest.range(of: "</script>"))
            let json = String(rest[..<end.lowerBound])
            #expect(!json.contains("<"), "\(path): raw < inside the script")
            let doc = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
            #expect(doc["@context"] as? String == "https://schema.org")
            let types = (doc["@graph"] as! [[String: Any]]).map { $0["@type"] as! String }
            seen.formUnion(types)
            if path.hasPrefix("articles/") && path != "articles/index.html" { #expect(types.contains("NewsArticle"), "\(path)") }
            if path.hasPrefix("events/") { #expect(types.contains("Event"), "\(path)") }
            if path.hasPrefix("years/") && path != "years/index.html" { #expect(types.contains("ItemList"), "\(path)") }
        }
        #expect(seen.isSuperset(of: ["NewsArticle", "Event", "ItemList", "BreadcrumbList"]))
        // Quotes inside JSON-LD strings are \u0022; the text still parses back to the same string.
        let hostile = "a\"b\\\" onload=x</script>\u{2028}"
        let quoted = JSONValue.scriptQuote(hostile)
        #expect(!quoted.dropFirst().dropLast().contains("\"") && !quoted.contains("<"))
        let back = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8)) as! [String]
        #expect(back == [hostile])
        // Event dates at their own precision.
        for e in site.graph.events {
            let html = site["events/\(e.id).html"]
            let expected: String = switch e.date.precision {
            case .day, .month, .year, .week: e.date.string
            case .quarter, .half: ExportDate.iso8601(e.date)
            }
            #expect(html.contains("\"startDate\":\"\(expected)\""), "\(e.id) \(e.date)")
        }
        #expect(site["404.html"].contains("<meta name=\"robots\" content=\"noindex\">"))
    }

    // MARK: Feed limit

    /// An article reporting `count` events, each on its own day of 2023 (so none merge), named
    /// after the corpus's companies in turn.
    static func manyEventsArticle(_ count: Int) -> String {
        let companies = ["字节跳动", "阿里巴巴", "百度"]
        var text = "---\ntitle: 许多事件\ndate: 2024-12-01\nsource: 测试日报\n---\n"
        for k in 0..<count {
            text += "2023年\(k % 12 + 1)月\(k / 12 + 1)日，\(companies[k % companies.count])发布第\(k + 1)号测试大模型，编号\(k + 1)。\n\n"
        }
        return text
    }

    /// `count` (at most 64) companies and an article in which each announces something on
    /// 2023-05-01: distinct main entities, so the events stay apart.
    static func sameDayCorpus(_ count: Int) -> (entities: String, article: String) {
        let first = Array("青赤白玄金银铜铁"), second = Array("龙虎鹤鹿熊狼鹰豹")
        var entities = "", text = "---\ntitle: 同一天\ndate: 2024-12-01\nsource: 测试日报\n---\n"
        for k in 0..<count {
            let name = "\(first[k / 8])\(second[k % 8])科技"
            entities += "- id: same-day-\(k)\n  name: \(name)\n  kind: company\n"
            text += "2023年5月1日，\(name)宣布推出大模型。\n\n"
        }
        return (entities, text)
    }

    /// The event indices newest first, as the feeds promise: by day, ties in reverse timeline order.
    static func newestFirst(_ g: EventGraph) -> [Int] {
        g.events.indices.sorted { a, b in
            g.events[a].sortDay != g.events[b].sortDay ? g.events[a].sortDay > g.events[b].sortDay : a > b
        }
    }

    static func feedEventIDs(_ site: Site) throws -> (atom: [String], json: [String]) {
        let atom = (parseXML(site["atom.xml"]).collector.texts["feed/entry/id"] ?? [])
            .map { $0.replacingOccurrences(of: "https://example.org/events/", with: "").replacingOccurrences(of: ".html", with: "") }
        let feed = try #require(try JSONSerialization.jsonObject(with: Data(site["feed.json"].utf8)) as? [String: Any])
        let items = try #require(feed["items"] as? [[String: Any]])
        let json = items.compactMap { ($0["_sitegen"] as? [String: Any])?["event_id"] as? String }
        return (atom, json)
    }

    @Test func feedsCarryTheNewestHundredEventsByDefault() throws {
        let site = try Self.build(articles: ["many.md": Self.manyEventsArticle(130)])
        let g = site.graph
        try #require(g.events.count > SiteConfig.defaultFeedLimit + 20, "\(g.events.count) events")
        let (atom, json) = try Self.feedEventIDs(site)
        #expect(SiteConfig.defaultFeedLimit == 100)
        #expect(atom.count == 100)
        #expect(json == atom, "the JSON Feed carries the same events in the same order")
        let expected = Self.newestFirst(g).prefix(100).map { g.events[$0].id }
        #expect(atom == Array(expected))
        // Newest: no event left out happened after the oldest one carried.
        let carried = Set(atom)
        let oldestCarried = try #require(g.events.filter { carried.contains($0.id) }.map(\.sortDay).min())
        for e in g.events where !carried.contains(e.id) { #expect(e.sortDay <= oldestCarried, "\(e.id) \(e.date) left out") }
        // The hundred newest are a mix of the two articles' events (the corpus's 2024 events lead).
        #expect(atom.first == g.events[Self.newestFirst(g)[0]].id)
        #expect(g.events.first { $0.id == atom.first }?.date.year == 2024)
        // Every event is still in the data exports.
        #expect(Self.parseCSV(site["data/events.csv"]).count == g.events.count + 1)
        let parsed = Self.parseXML(site["atom.xml"])
        #expect(parsed.ok, "\(parsed.error)")
    }

    @Test func feedLimitFromSiteYMLAppliesToEveryFeed() throws {
        let site = try Self.build(siteExtra: "feed_limit: 2\n")
        let g = site.graph
        try #require(g.events.count > 2)
        let (atom, json) = try Self.feedEventIDs(site)
        #expect(atom == Self.newestFirst(g).prefix(2).map { g.events[$0].id })
        #expect(json == atom)
        let one = try Self.build(siteExtra: "feed_limit: 1\n")
        let articles = Self.parseXML(one["articles.xml"]).collector
        #expect(articles.texts["feed/entry/published"] == ["2024-11-20T00:00:00Z"], "only the newest article")
        #expect(try Self.feedEventIDs(one).atom == [one.graph.events[Self.newestFirst(one.graph)[0]].id])
        // The feed's <updated> is the latest report of what it carries.
        #expect(Self.parseXML(one["atom.xml"]).collector.texts["feed/updated"] == ["2024-11-20T00:00:00Z"])
    }

    @Test func feedLimitIsValidatedWithItsLine() throws {
        let loader = SiteConfigLoader()
        #expect(try loader.load(text: "title: t\n").feedLimit == 100)
        #expect(try loader.load(text: "title: t\nfeed_limit: 25\n").feedLimit == 25)
        #expect(try loader.load(text: "title: t\nfeed_limit: \"7\"\n").feedLimit == 7)
        for bad in ["0", "-5", "abc", "1.5", "1e3", "+3", "99999999999999999999999", "[10]", "{n: 1}"] {
            do {
                _ = try loader.load(text: "title: t\nbase_url: /\nfeed_limit: \(bad)\n")
                Issue.record("feed_limit: \(bad) was accepted")
            } catch {
                #expect(error.file == "site.yml", "\(bad)")
                #expect(error.line == 3, "feed_limit: \(bad) reported on line \(error.line.map(String.init) ?? "nil")")
                #expect(error.message.contains("feed_limit"), "\(error.message)")
            }
        }
        // Through a whole build: the build fails and names site.yml and the line.
        let dir = TempDir()
        Self.corpus(dir, base: "https://example.org/", siteExtra: "feed_limit: many\n")
        let builder = SiteBuilder(options: .init(content: dir.url.appendingPathComponent("content"), templates: Repo.templates,
                                                 output: dir.url.appendingPathComponent("public")))
        var timings: [(String, Double)] = []
        do {
            _ = try builder.run(timings: &timings)
            Issue.record("a build with feed_limit: many succeeded")
        } catch {
            let d = try #require(error.diagnostics.first { $0.message.contains("feed_limit") }, "\(error)")
            #expect(d.file.hasSuffix("site.yml") && d.line == 6, "\(d)")
            #expect(d.description.contains("site.yml:6"), "\(d.description)")
        }
    }

    // MARK: Search index

    static func renderer(_ site: Site) throws -> SiteRenderer {
        SiteRenderer(config: site.result.content.config, graph: site.graph, articles: site.result.parsed,
                     templates: try TemplateSet(directory: Repo.templates))
    }

    /// One record per entity and per article; an entity's record holds its name and aliases, an
    /// article's its text (taken from the HTML, entities decoded) and every event's headline.
    @Test func searchRecordsCoverEntitiesArticlesAndTheirEvents() throws {
        let site = try Self.build()
        let r = try Self.renderer(site)
        let records = SearchRecords.all(r)
        #expect(records.count == site.graph.entities.count + site.result.parsed.count)
        let byURL = Dictionary(records.map { ($0.url, $0) }, uniquingKeysWith: { a, _ in a })
        func unspaced(_ s: String) -> String { s.replacingOccurrences(of: " ", with: "") }
        for e in site.graph.entities {
            let rec = try #require(byURL[r.entityURL(e.id)], "no record for \(e.id)")
            #expect(rec.filters["type"] == [SearchRecords.typeEntity])
            for name in [e.name] + e.aliases { #expect(unspaced(rec.content).contains(unspaced(name)), "\(name)") }
        }
        for a in site.result.parsed {
            let rec = try #require(byURL[r.articleURL(a.meta.slug)])
            for i in r.eventIndicesByArticle[a.meta.slug] ?? [] {
                #expect(unspaced(rec.content).contains(unspaced(r.fullHeadline(i))))
                #expect(rec.meta["events"]?.contains(r.eventURL(site.graph.events[i].id)) == true)
                #expect(rec.filters["year"]?.contains(String(site.graph.events[i].date.year)) == true)
            }
        }
    }

    @Test func searchTextSpacesHanAndDecodesHTML() {
        #expect(SearchRecords.spaced("豆包AI大模型 v2") == "豆 包AI大 模 型 v2")
        #expect(SearchRecords.plainText("<p>A &amp; B &lt;x&gt; &quot;q&quot; &#39;s&#39; &bogus;</p>")
            == "A & B <x> \"q\" 's' &bogus;")
    }

    /// The records are what the index is made of: no skipped sentence, override note or review
    /// text is in them.
    @Test func searchRecordsHoldNoEditorialText() throws {
        let site = try Self.build()
        let r = try Self.renderer(site)
        let all = SearchRecords.all(r).map { $0.content + $0.meta.values.joined() }.joined()
        let review = site.result.files.filter { $0.path.hasPrefix("review/") }
        #expect(!review.isEmpty)
        #expect(!all.contains("审阅"))
        for reason in SkippedStatement.Reason.allCases { #expect(!all.contains(reason.label), "\(reason.label)") }
        #expect(!SearchRecords.all(r).contains { $0.url.contains("/review/") })
    }

    @Test func pagefindFilesAreReadFromTheReplyAndCanonicalOrderIsStable() throws {
        let reply = #"{"message_id":9,"payload":{"type":"GetFiles","files":[{"path":"a/b.pf_index","content":"aGk="},"#
            + #"{"content":"eA==","path":"pagefind-ui.js"},{"path":"pagefind.js","content":"eXo="}]}}"#
        let files = try Pagefind.files(inReply: Array(reply.utf8))
        #expect(files.map(\.path) == ["a/b.pf_index", "pagefind.js"])  // the stock UI is dropped
        #expect(files.map { String(decoding: $0.bytes, as: UTF8.self) } == ["hi", "yz"])
        // A filter file whose values came in either order gives the same bytes.
        func filter(_ values: [(String, [UInt64])]) -> [UInt8] {
            let cbor = CBOR.array([.text("year"), .array(values.map { .array([.text($0.0), .array($0.1.map { .uint($0) })]) })])
            return PagefindCanonical.gzip(PagefindCanonical.magic + CBOR.encode(cbor))!
        }
        let a = PagefindCanonical.sortFilter(filter([("2024", [1, 300]), ("2023", [2, 70_000])]))
        let b = PagefindCanonical.sortFilter(filter([("2023", [2, 70_000]), ("2024", [1, 300])]))
        #expect(a != nil && a == b)
        let back = try #require(CBOR.decode(Array(PagefindCanonical.gunzip(a!)!.dropFirst(PagefindCanonical.magic.count))))
        guard case .array(let top) = back, case .array(let values) = top[1] else { Issue.record("\(back)"); return }
        #expect(values.map(\.sortKey) == ["2023", "2024"])
    }

    /// With the Pagefind binary installed (scripts/install-deps), the build writes its index.
    @Test func pagefindIndexIsWritten() throws {
        guard Pagefind.executable() != nil else { return }
        let site = try Self.build()
        let entry = try #require(site.result.files.first { $0.path == "pagefind/pagefind-entry.json" })
        let json = try #require(try JSONSerialization.jsonObject(with: Data(entry.bytes)) as? [String: Any])
        let langs = try #require(json["languages"] as? [String: [String: Any]])
        #expect(langs["zh-cn"]?["page_count"] as? Int == site.graph.entities.count + site.result.parsed.count)
        #expect(site.result.files.contains { $0.path == "pagefind/pagefind.js" })
        #expect(site.result.files.contains { $0.path.hasPrefix("pagefind/fragment/") })
        #expect(!site.result.files.contains { $0.path.hasPrefix("pagefind/pagefind-ui") })
    }

    // MARK: Sitemap

    static func locs(_ xml: String, _ path: String) -> [String] {
        parseXML(xml).collector.texts[path] ?? []
    }

    @Test func smallSitesKeepOnePlainSitemap() throws {
        let site = try Self.build()
        #expect(site["sitemap.xml"].contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"))
        #expect(!site.files.keys.contains { $0.hasPrefix("sitemap-") })
        #expect(SitemapExport.maxURLsPerFile == 50_000 && SitemapExport.maxBytesPerFile == 50 * 1024 * 1024)
    }

    @Test func largeSitemapsAreSplitBehindAnIndex() throws {
        let site = try Self.build()
        let r = try site.renderer()
        let pages = site.result.files.map(\.path).filter { !$0.hasPrefix("review/") }
        let single = SitemapExport.files(r, pages: pages)
        #expect(single.map(\.path) == ["sitemap.xml"])
        let all = Self.locs(single[0].exportText, "urlset/url/loc")
        #expect(all.count > 9, "\(all.count) pages")
        #expect(single[0].exportText == site["sitemap.xml"], "the default limits give the built file")

        let split = SitemapExport.files(r, pages: pages, maxURLs: 4)
        let parts = (all.count + 3) / 4
        #expect(split.map(\.path) == ["sitemap.xml"] + (1...parts).map { "sitemap-\($0).xml" })
        let index = Self.parseXML(split[0].exportText)
        #expect(index.ok, "\(index.error)")
        #expect(index.collector.elements.first?.name == "sitemapindex")
        #expect(index.collector.elements.first?.attributes["xmlns"] == "http://www.sitemaps.org/schemas/sitemap/0.9")
        #expect(index.collector.texts["sitemapindex/sitemap/loc"] == (1...parts).map { "https://example.org/sitemap-\($0).xml" })
        var joined: [String] = []
        var partLastmods: [String] = []
        for f in split.dropFirst() {
            let p = Self.parseXML(f.exportText)
            #expect(p.ok, "\(f.path): \(p.error)")
            #expect(p.collector.elements.first?.name == "urlset")
            let l = p.collector.texts["urlset/url/loc"] ?? []
            #expect(!l.isEmpty && l.count <= 4, "\(f.path): \(l.count) URLs")
            joined += l
            if let latest = (p.collector.texts["urlset/url/lastmod"] ?? []).max() { partLastmods.append(latest) }
        }
        #expect(joined == all, "the parts list every page once, in order")
        #expect(index.collector.texts["sitemapindex/sitemap/lastmod"] == partLastmods)

        // The byte limit splits too: room for about two entries per part.
        let entries = SitemapExport.entries(r, pages: pages)
        let frame = (SitemapExport.xmlHeader + SitemapExport.urlsetOpen + SitemapExport.urlsetClose).utf8.count
        let maxBytes = frame + 2 * (entries.map(\.size).max() ?? 0)
        let bySize = SitemapExport.files(r, pages: pages, maxBytes: maxBytes)
        #expect(bySize.count > 2 && Self.locs(bySize[0].exportText, "sitemapindex/sitemap/loc").count == bySize.count - 1)
        for f in bySize.dropFirst() { #expect(f.exportText.utf8.count <= maxBytes, "\(f.path): \(f.exportText.utf8.count) bytes") }
        #expect(bySize.dropFirst().flatMap { Self.locs($0.exportText, "urlset/url/loc") } == all)

        // Sub-path deployments: the index points at absolute URLs under the base URL.
        let sub = try Self.build(base: "https://host/timeline/")
        let subSplit = SitemapExport.files(try sub.renderer(), pages: sub.result.files.map(\.path), maxURLs: 4)
        #expect(Self.locs(subSplit[0].exportText, "sitemapindex/sitemap/loc").first == "https://host/timeline/sitemap-1.xml")
        #expect(sub["robots.txt"].contains("Sitemap: https://host/timeline/sitemap.xml\n"))
    }

    // MARK: Graph size

    @Test func graphExportsStayLinearAndLean() throws {
        // Sixty events on one day: a relation per pair of the day would be 1,770 edges.
        let day = Self.sameDayCorpus(60)
        let site = try Self.build(entitiesExtra: day.entities, articles: ["day.md": day.article])
        let g = site.graph
        let sameDay = g.events.filter { $0.date.string == "2023-05-01" }.count
        try #require(sameDay >= 50, "\(sameDay) events on 2023-05-01")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(site["data/graph.json"].utf8)) as? [String: Any])
        let graph = try #require(doc["graph"] as? [String: Any])
        let nodes = try #require(graph["nodes"] as? [String: Any])
        let edges = try #require(graph["edges"] as? [[String: Any]])
        #expect(edges.count <= 6 * g.events.count, "\(edges.count) edges for \(g.events.count) events")
        // One line per node and per edge, plus a fixed frame.
        let jsonLines = site["data/graph.json"].split(separator: "\n").count
        #expect(jsonLines <= nodes.count + edges.count + 20, "\(jsonLines) lines")
        let gexfLines = site["data/graph.gexf"].split(separator: "\n").count
        #expect(gexfLines <= nodes.count + edges.count + 40, "\(gexfLines) lines")
        // An edge carries no long text and no per-edge copy of the graph's direction.
        for e in edges {
            #expect(e["directed"] == nil && e["id"] == nil)
            let meta = e["metadata"] as? [String: String] ?? [:]
            #expect(meta["quote"] == nil)
            for v in meta.values { #expect(v.count <= 40, "\(v)") }
        }
        #expect(!site["data/graph.gexf"].contains("title=\"quote\""))
        #expect(Self.parseXML(site["data/graph.gexf"]).ok)
        // The GEXF edges are the JSON edges, in order.
        let gexf = Self.parseXML(site["data/graph.gexf"]).collector.elements.filter { $0.name == "edge" }
        #expect(gexf.count == edges.count)
        #expect(gexf.map { $0.attributes["source"] ?? "" } == edges.map { $0["source"] as? String ?? "" })
        #expect(gexf.map { $0.attributes["kind"] ?? "" } == edges.map { $0["relation"] as? String ?? "" })
    }

    @Test func prettyJSONCanTurnCompactBelowADepth() {
        let v = JSONValue.obj([("a", .array([.obj([("b", .int(1)), ("c", .array([.string("x")]))])])), ("d", .bool(true))])
        #expect(v.pretty(compactFrom: 2) == "{\n  \"a\": [\n    {\"b\":1,\"c\":[\"x\"]}\n  ],\n  \"d\": true\n}")
        #expect(v.pretty(compactFrom: 0) == v.compact)
        #expect(v.pretty() == "{\n  \"a\": [\n    {\n      \"b\": 1,\n      \"c\": [\n        \"x\"\n      ]\n    }\n  ],\n  \"d\": true\n}")
    }
}

extension OutputFile {
    /// The file's bytes as UTF-8 text, for the tests.
    var exportText: String { String(decoding: bytes, as: UTF8.self) }
}
