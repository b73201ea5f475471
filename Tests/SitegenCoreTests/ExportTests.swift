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
    static func corpus(_ dir: TempDir, base: String) {
        dir.write("content/site.yml", "title: 测试时间线\ndescription: 用于测试的时间线，含“引号”与 & 符号\nlanguage: zh-CN\nbase_url: \(base)\nauthor: 测试\n")
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

            """)
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
        subscript(_ path: String) -> String { files[path] ?? "" }
    }

    static func build(base: String = "https://example.org/") throws -> Site {
        let dir = TempDir()
        corpus(dir, base: base)
        let builder = SiteBuilder(options: .init(content: dir.url.appendingPathComponent("content"), templates: Repo.templates,
                                                 output: dir.url.appendingPathComponent("public")))
        var timings: [(String, Double)] = []
        let result = try builder.run(timings: &timings)
        var files: [String: String] = [:]
        for f in result.files { files[f.path] = String(decoding: f.bytes, as: UTF8.self) }
        return Site(files: files, graph: result.graph)
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
        let byURL = Dictionary(uniqueKeysWithValues: site.graph.events.map { ("https://example.org/events/\($0.id)/", $0) })
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
            if path.hasPrefix("years/") { #expect(types.contains("ItemList"), "\(path)") }
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
            let html = site["events/\(e.id)/index.html"]
            let expected: String = switch e.date.precision {
            case .day, .month, .year, .week: e.date.string
            case .quarter, .half: ExportDate.iso8601(e.date)
            }
            #expect(html.contains("\"startDate\":\"\(expected)\""), "\(e.id) \(e.date)")
        }
        #expect(site["404.html"].contains("<meta name=\"robots\" content=\"noindex\">"))
    }
}
