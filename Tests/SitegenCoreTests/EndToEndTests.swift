import Foundation
import Testing
@testable import SitegenCore

/// Builds the real content/ with the real templates and inspects the result.
@Suite(.serialized) struct EndToEndTests {
    struct Built: @unchecked Sendable {
        let dir: TempDir
        let result: SiteBuilder.Result
        let eventsJSON: [String: Any]
        var events: [[String: Any]] { eventsJSON["events"] as! [[String: Any]] }
    }

    /// One build shared by the tests of this suite.
    static let built: Built = {
        let dir = TempDir()
        let output = dir.url.appendingPathComponent("public")
        let builder = SiteBuilder(options: .init(content: Repo.content, templates: Repo.templates, output: output))
        var timings: [(String, Double)] = []
        let result = try! builder.run(timings: &timings)
        _ = try! builder.build()
        let data = FileManager.default.contents(atPath: output.appendingPathComponent("data/events.json").path)!
        let json = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
        return Built(dir: dir, result: result, eventsJSON: json)
    }()

    func events(on date: String, with entity: String) -> [[String: Any]] {
        Self.built.events.filter { ($0["date"] as? String) == date && (($0["entities"] as? [String]) ?? []).contains(entity) }
    }

    @Test func seedEventsHaveTheRightDatesAndEntities() {
        // 2024-05-15 豆包 pricing; 2024-05-21 通义千问 price cut; 同日 文心 free; 22日 腾讯.
        #expect(events(on: "2024-05-15", with: "doubao").contains { ($0["title"] as! String).contains("定价") })
        #expect(events(on: "2024-05-21", with: "qwen").contains { ($0["title"] as! String).contains("降价") })
        #expect(events(on: "2024-05-21", with: "ernie").contains { ($0["title"] as! String).contains("免费") })
        #expect(!events(on: "2024-05-22", with: "tencent").isEmpty)
        #expect(!events(on: "2022-11", with: "chatgpt").isEmpty)
        let endOfNov = events(on: "2022-11", with: "chatgpt").first
        #expect(endOfNov?["mod"] as? String == "END")
        // 「今年8月底至9月」 in an article of December 2024.
        // Three companies, three happenings: one event each, all dated by the lead sentence.
        let video = Self.built.events.filter { ($0["date"] as? String) == "2024-08" && ($0["end"] as? String) == "2024-09" }
        #expect(video.allSatisfy { $0["mod"] as? String == "END" })
        for actor in ["minimax", "alibaba-cloud", "meitu"] {
            #expect(video.filter { ($0["entities"] as? [String])?.first == actor }.count == 1, "\(actor)")
        }
    }

    @Test func gpt4IsOneEventWithTwoSources() {
        let gpt4 = events(on: "2023-03", with: "gpt-4")
        #expect(gpt4.count == 1)
        let articles = Set(((gpt4.first?["sources"] as? [[String: Any]]) ?? []).map { $0["article"] as! String })
        #expect(articles.count == 2)
    }

    @Test func unrelatedNewsAtTheEndIsNotAnEvent() {
        let quotes = Self.built.events.flatMap { ($0["sources"] as! [[String: Any]]).map { $0["quote"] as! String } }
        #expect(!quotes.contains { $0.contains("社会消费品零售总额") || $0.contains("西单商场") || $0.contains("商务部") })
    }

    @Test func everyArticleYieldsEventsAndEveryEventHasAnEntity() {
        let perArticle = Dictionary(grouping: Self.built.result.extracted.flatMap { $0 }, by: \.source.articleSlug)
        // The Guangxi market report dates only statistics without an actor (截至2023年上半年…): no events.
        #expect(Set(perArticle.keys) == ["ai-llm-industry-2024-review", "ai-llm-multi-model-era-commercialization",
                                          "llm-commercialization-thinkblue-salon", "llm-year-vertical-applications"])
        for e in Self.built.events {
            #expect(!(e["entities"] as! [String]).isEmpty)
            #expect(TemporalValue(string: e["date"] as! String) != nil)
            let title = e["title"] as! String
            #expect(title.count <= 40 && title.count >= 4)
        }
    }

    @Test func eventsAreChronological() {
        let g = Self.built.result.graph
        for i in 1..<g.events.count { #expect(g.events[i - 1].sortDay <= g.events[i].sortDay) }
    }

    @Test func contractOfEventsJSON() {
        let j = Self.built.eventsJSON
        let e = (j["events"] as! [[String: Any]]).first!
        for key in ["id", "date", "mod", "end", "title", "entities", "sources"] { #expect(e.keys.contains(key), "event lacks \(key)") }
        let s = (e["sources"] as! [[String: Any]]).first!
        for key in ["article", "quote", "url"] { #expect(s.keys.contains(key)) }
        let entity = (j["entities"] as! [[String: Any]]).first!
        for key in ["id", "name", "kind", "aliases"] { #expect(entity.keys.contains(key)) }
        let article = (j["articles"] as! [[String: Any]]).first!
        for key in ["slug", "title", "date", "source", "source_url"] { #expect(article.keys.contains(key)) }
    }

    @Test func pagesExist() {
        let d = Self.built.dir
        for p in ["public/index.html", "public/entities/index.html", "public/articles/index.html", "public/404.html",
                  "public/years/2024/index.html", "public/entities/doubao/index.html", "public/assets/style.css"] {
            #expect(d.read(p) != nil, "missing \(p)")
        }
        for e in Self.built.events {
            #expect(d.read("public/events/\(e["id"] as! String).html") != nil)
        }
        let home = d.read("public/index.html")!
        #expect(home.contains("<html lang=\"zh-CN\">"))
        #expect(home.contains("2024年5月15日"))
        #expect(home.contains("<main"))
        // No inline script: the one script is the site's own file.
        for part in home.components(separatedBy: "<script").dropFirst() {
            #expect(part.hasPrefix(" src=\"/assets/app.js\"") || part.hasPrefix(" type=\"application/ld+json\""), "\(part.prefix(40))")
        }
    }

    @Test func entityPageShowsChildrenEvents() {
        let page = Self.built.dir.read("public/entities/bytedance/index.html")!
        #expect(page.contains("豆包"))
        #expect(page.contains("2024年5月15日"))
    }

    /// Over the row limit, the review becomes a paged index plus one page per article, and every
    /// event sentence of the site is on exactly one article's review page.
    @Test func reviewSplitsPerArticleWhenLarge() throws {
        let r = Self.built.result
        let renderer = SiteRenderer(config: r.content.config, graph: r.graph, articles: r.parsed,
                                    templates: try TemplateSet(directory: Repo.templates))
        let single = renderer.reviewPages(skipped: [], unmatchedOverrides: [])
        #expect(single.map(\.path) == ["review/index.html"])
        let split = renderer.reviewPages(skipped: [], unmatchedOverrides: [], rowLimit: 10, perPage: 2)
        let paths = Set(split.map(\.path))
        let slugs = r.parsed.map(\.meta.slug)
        #expect(paths == Set(["review/index.html", "review/page/2/index.html", "review/page/3/index.html"] + slugs.map { "review/articles/\($0).html" }))
        let pages = Dictionary(uniqueKeysWithValues: split.map { ($0.path, String(decoding: $0.bytes, as: UTF8.self)) })
        for slug in slugs {
            let page = pages["review/articles/\(slug).html"] ?? ""
            let expected = r.graph.events.reduce(0) { $0 + $1.sources.filter { $0.articleSlug == slug }.count }
            #expect(page.components(separatedBy: "<td><code>\(slug):").count - 1 == expected, "\(slug)")
            #expect(page.contains("noindex"))
        }
        // Each full index page links its two articles' review pages and the two other index pages
        // (the current one is marked, not linked).
        for p in ["review/index.html", "review/page/2/index.html"] {
            #expect((pages[p] ?? "").components(separatedBy: "href=\"/review/").count - 1 == 2 + 2, "\(p)")
            #expect((pages[p] ?? "").contains("aria-current=\"page\""), "\(p)")
        }
    }

    /// Per-article review pages are keyed: with the same inputs all are kept, and a skipped
    /// sentence added to one article renders that article's page alone, with the bytes an
    /// unkeyed render gives.
    @Test func reviewPagesAreKeptUnlessTheirArticleChanged() throws {
        let r = Self.built.result
        let renderer = SiteRenderer(config: r.content.config, graph: r.graph, articles: r.parsed,
                                    templates: try TemplateSet(directory: Repo.templates))
        final class Recorder: PageReuse, @unchecked Sendable {
            var previous: [String: UInt64] = [:]
            var keys: [String: UInt64] = [:]
            var rendered: [String: [UInt8]] = [:]
            let lock = NSLock()
            func reuse(_ path: String, key: UInt64) -> Bool {
                lock.withLock { keys[path] = key }
                return previous[path] == key
            }
            func add(_ f: OutputFile, key: UInt64) { lock.withLock { rendered[f.path] = f.bytes; keys[f.path] = key } }
            func reuseGroup(key: UInt64) -> [String]? { nil }
        }
        let first = Recorder()
        let one = renderer.reviewPages(skipped: [], unmatchedOverrides: [], rowLimit: 10, perPage: 2, reuse: first, reuseSeed: 7)
        #expect(first.rendered.count == r.parsed.count)
        #expect(one.count == one.files.count + r.parsed.count)

        let again = Recorder()
        again.previous = first.keys
        _ = renderer.reviewPages(skipped: [], unmatchedOverrides: [], rowLimit: 10, perPage: 2, reuse: again, reuseSeed: 7)
        #expect(again.rendered.isEmpty)

        let slug = r.parsed[0].meta.slug
        let skip = SkippedStatement(articleSlug: slug, line: 3, blockIndex: 0, text: "据悉，明年将有新进展。", dateText: "明年", reason: .noEntity)
        let changed = Recorder()
        changed.previous = first.keys
        _ = renderer.reviewPages(skipped: [skip], unmatchedOverrides: [], rowLimit: 10, perPage: 2, reuse: changed, reuseSeed: 7)
        #expect(changed.rendered.keys.sorted() == ["review/articles/\(slug).html"])
        let plain = renderer.reviewPages(skipped: [skip], unmatchedOverrides: [], rowLimit: 10, perPage: 2)
        #expect(changed.rendered["review/articles/\(slug).html"] == plain.first { $0.path == "review/articles/\(slug).html" }?.bytes)

        // Another seed (templates, settings, entities…) keeps nothing.
        let reseeded = Recorder()
        reseeded.previous = first.keys
        _ = renderer.reviewPages(skipped: [], unmatchedOverrides: [], rowLimit: 10, perPage: 2, reuse: reseeded, reuseSeed: 8)
        #expect(reseeded.rendered.count == r.parsed.count)
    }

    /// A month page lists the month's own events first and the coarser ones beginning in it after
    /// them, and its year heading counts the whole year.
    /// A month page lists what happened in the month; a coarser event covering it (a quarter) is
    /// in the 「此期间」 band, never among the month's own, and the count is the month's.
    @Test func monthPagesListTheMonthAndBandTheCoarserEvents() throws {
        let dir = TempDir()
        dir.write("content/site.yml", "title: 测试站\nbase_url: https://example.org/\n")
        dir.write("content/entities.yml", "- id: baidu\n  name: 百度\n  kind: company\n")
        dir.write("content/articles/a.md", "---\ntitle: 甲\ndate: 2024-12-31\n---\n2024年1月5日，百度发布新模型。\n\n"
            + "2024年第一季度，百度宣布营收增长。\n\n2024年底，百度发布新版本。\n")
        _ = try SiteBuilder(options: .init(content: dir.url.appendingPathComponent("content"), templates: Repo.templates,
                                           output: dir.url.appendingPathComponent("public"))).build()
        let page = try #require(dir.read("public/years/2024/01/index.html"))
        let band = try #require(page.range(of: "id=\"band-title\""))
        let own = try #require(page.range(of: "百度发布新模型"))
        let quarter = try #require(page.range(of: "百度宣布营收增长"))
        #expect(own.lowerBound < band.lowerBound && band.lowerBound < quarter.lowerBound)
        #expect(!page.contains("百度发布新版本"), "「2024年底」 does not cover January")
        #expect(page.contains("<p class=\"stats\">1 件事件"))
        let periods = try #require(dir.read("public/years/2024/periods/index.html"))
        #expect(periods.contains("百度宣布营收增长") && periods.contains("百度发布新版本"))
        // The year page groups them apart, and no month page exists for 「2024年底」's October.
        #expect(dir.read("public/years/2024/10/index.html") == nil)
    }

    @Test func articlePageMarksEvents() throws {
        let e = events(on: "2024-05-15", with: "doubao").first!
        let src = (e["sources"] as! [[String: Any]]).first!
        let url = src["url"] as! String
        let parts = url.split(separator: "#")
        let path = "public" + String(parts[0]) + "index.html"
        let page = try #require(Self.built.dir.read(path))
        #expect(page.contains("id=\"\(parts[1])\""))
        #expect(page.contains("<mark class=\"event\""))
        #expect(!page.contains("data-sourcepos"))
    }

    /// Every internal href and anchor in the output resolves to a file (and an id when it has a fragment).
    @Test func noBrokenInternalLinks() throws {
        let root = Self.built.dir.url.appendingPathComponent("public")
        let files = snapshot(root)
        var ids: [String: Set<String>] = [:]
        for (path, data) in files where path.hasSuffix(".html") {
            let html = String(decoding: data, as: UTF8.self)
            ids[path] = Set(Self.matches(html, prefix: " id=\""))
        }
        var broken: [String] = []
        for (path, data) in files where path.hasSuffix(".html") {
            let html = String(decoding: data, as: UTF8.self)
            for href in Self.matches(html, prefix: "href=\"") where href.hasPrefix("/") {
                let decoded = href.replacingOccurrences(of: "&amp;", with: "&")
                let parts = decoded.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
                // A query (「?kind=release」, read by the page's script) names no other file.
                var target = String(parts[0].split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0])
                if target.hasSuffix("/") { target += "index.html" }
                guard files[target] != nil else { broken.append("\(path) → \(href)"); continue }
                if parts.count == 2, !parts[1].isEmpty, !(ids[target]?.contains(String(parts[1])) ?? false) {
                    broken.append("\(path) → \(href) (no such id)")
                }
            }
        }
        #expect(broken.isEmpty, "\(broken.prefix(10))")
    }

    static func matches(_ html: String, prefix: String) -> [String] {
        var out: [String] = []
        var rest = Substring(html)
        while let r = rest.range(of: prefix) {
            let after = rest[r.upperBound...]
            guard let q = after.firstIndex(of: "\"") else { break }
            out.append(String(after[..<q]))
            rest = after[q...]
        }
        return out
    }
}

@Suite struct OutputSafetyTests {
    func miniSite(_ dir: TempDir, articleText: String) -> SiteBuilder {
        dir.write("content/site.yml", "title: 测试站\nbase_url: https://example.org/\n")
        dir.write("content/entities.yml", "- id: doubao\n  name: 豆包\n  kind: product\n")
        dir.write("content/articles/a.md", articleText)
        return SiteBuilder(options: .init(content: dir.url.appendingPathComponent("content"), templates: Repo.templates,
                                          output: dir.url.appendingPathComponent("public")))
    }

    @Test func failedBuildLeavesPreviousSiteByteIdentical() throws {
        let dir = TempDir()
        let good = miniSite(dir, articleText: "---\ntitle: 好\ndate: 2024-05-20\n---\n2024年5月15日，豆包大模型宣布降价。\n")
        _ = try good.build()
        let before = snapshot(dir.url.appendingPathComponent("public"))
        #expect(before["/index.html"] != nil)
        let bad = miniSite(dir, articleText: "---\ntitle: 坏\ndate: 2024-02-30\n---\n正文\n")
        do {
            _ = try bad.build()
            Issue.record("a build with an impossible date succeeded")
        } catch {
            let d = try #require(error.diagnostics.first)
            #expect(d.file == "articles/a.md")
            #expect(d.line == 3)
        }
        #expect(snapshot(dir.url.appendingPathComponent("public")) == before)
        // No staging folders left behind (the spare copy is kept on purpose).
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.hasPrefix(".public") && $0 != ".public.spare" }
        #expect(leftovers.isEmpty)
    }

    @Test func staleFilesDisappear() throws {
        let dir = TempDir()
        let site = miniSite(dir, articleText: "---\ntitle: 好\ndate: 2024-05-20\n---\n2024年5月15日，豆包大模型宣布降价。\n")
        _ = try site.build()
        dir.write("public/stale.html", "old")
        _ = try site.build()
        #expect(dir.read("public/stale.html") == nil)
    }

    @Test func refusesForeignOrDangerousOutput() {
        let dir = TempDir()
        dir.write("mine/notes.txt", "keep me")
        let writer = OutputWriter(output: dir.url.appendingPathComponent("mine"), protectedFolders: [])
        #expect(throws: Diagnostic.self) { try writer.checkSafe() }
        #expect(dir.read("mine/notes.txt") == "keep me")
        let content = dir.url.appendingPathComponent("content")
        let inside = OutputWriter(output: content.appendingPathComponent("out"), protectedFolders: [content])
        #expect(throws: Diagnostic.self) { try inside.checkSafe() }
        let parent = OutputWriter(output: dir.url, protectedFolders: [content])
        #expect(throws: Diagnostic.self) { try parent.checkSafe() }
        #expect(throws: Diagnostic.self) { try OutputWriter(output: URL(fileURLWithPath: "/"), protectedFolders: []).checkSafe() }
    }

    @Test func hostileTitleIsEscaped() throws {
        let dir = TempDir()
        let site = miniSite(dir, articleText: "---\ntitle: \"</script><script>alert(1)</script>\\\" onmouseover=x\"\ndate: 2024-05-20\n---\n2024年5月15日，豆包大模型宣布降价。<script>alert(2)</script>\n\n[x](javascript:alert(3))\n")
        _ = try site.build()
        for (path, data) in snapshot(dir.url.appendingPathComponent("public")) where path.hasSuffix(".html") || path.hasSuffix(".json") {
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains("<script>alert"), "\(path)")
            #expect(!text.contains("javascript:alert"), "\(path)")
            // In HTML a raw quote would end the attribute; in JSON it is escaped as \" and inert.
            if path.hasSuffix(".html") { #expect(!text.contains("\" onmouseover"), "\(path)") }
        }
    }
}
