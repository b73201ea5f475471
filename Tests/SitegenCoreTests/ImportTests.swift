import Foundation
import Testing
@testable import SitegenCore

/// `sitegen import`: the seed documents as received become the articles of content/.
@Suite struct ImportTests {
    /// The raw seeds live beside the repository (../shared/seeds), read-only.
    static let seeds = Repo.root.deletingLastPathComponent().appendingPathComponent("shared/seeds")
    static let haveSeeds = FileManager.default.fileExists(atPath: seeds.path)

    /// Seed file prefix → the hand-converted article; and whether the seed has a 关键词 line.
    static let pairs: [(seed: String, article: String, keywords: Bool)] = [
        ("000", "llm-year-vertical-applications", false),
        ("001", "ai-llm-multi-model-era-commercialization", true),
        ("002", "ai-llm-industry-2024-review", false),
        ("003", "llm-market-report-guangxi", false),
        ("004", "llm-commercialization-thinkblue-salon", false),
    ]

    static let today = CivilDate(year: 2025, month: 6, day: 1)

    static let entities: [Entity] = {
        let text = try! String(contentsOf: Repo.content.appendingPathComponent("entities.yml"), encoding: .utf8)
        return try! EntityCatalogLoader().load(text: text)
    }()

    /// What the equivalence compares of an event.
    struct EventFacts: Hashable, Comparable, CustomStringConvertible {
        var value: String
        var mod: String
        var end: String
        var entities: [String]
        var headline: String

        init(_ e: ExtractedEvent) {
            value = e.date.value.string
            mod = e.date.mod?.rawValue ?? "-"
            end = e.date.end?.string ?? "-"
            entities = Set(e.entities).sorted()
            headline = e.headline
        }

        static func < (a: Self, b: Self) -> Bool { a.description < b.description }
        var description: String { "\(value) \(mod) \(end) [\(entities.joined(separator: ","))] \(headline)" }
    }

    static func events(_ a: ArticleSource) -> [EventFacts] {
        EventExtractor(entities: entities).extract(MarkdownParser().parse(a)).map(EventFacts.init).sorted()
    }

    /// The dated statements left out, with their reasons: an article with no events still has these.
    static func skipped(_ a: ArticleSource) -> [String] {
        EventExtractor(entities: entities).extractWithTrace(MarkdownParser().parse(a)).skipped
            .map { $0.reason.rawValue + " " + $0.text }.sorted()
    }

    static func seedURL(_ prefix: String) throws -> URL {
        let names = try FileManager.default.contentsOfDirectory(atPath: seeds.path)
        let name = try #require(names.first { $0.hasPrefix(prefix + "_") && $0.hasSuffix(".txt") }, "no seed \(prefix)_*.txt")
        return seeds.appendingPathComponent(name)
    }

    static func load(_ url: URL) throws -> ArticleSource {
        try ArticleLoader().load(data: Data(contentsOf: url), relativePath: "articles/" + url.lastPathComponent)
    }

    @Test(.enabled(if: haveSeeds, "needs ../shared/seeds"), arguments: pairs.indices)
    func seedImportsAsTheHandConvertedArticle(_ i: Int) throws {
        let pair = Self.pairs[i]
        let dir = TempDir()
        let (url, _) = try ArticleImporter.importFile(try Self.seedURL(pair.seed), into: dir.url.appendingPathComponent("articles"),
                                                      today: Self.today)
        let imported = try Self.load(url)
        let hand = try Self.load(Repo.content.appendingPathComponent("articles/\(pair.article).md"))

        #expect(imported.meta.title == hand.meta.title)
        #expect(imported.meta.date == hand.meta.date)
        #expect(imported.meta.source == hand.meta.source)
        #expect(imported.meta.sourceURL == hand.meta.sourceURL)
        if pair.keywords { #expect(imported.meta.tags == hand.meta.tags) }

        let got = Self.events(imported)
        let want = Self.events(hand)
        #expect(!want.isEmpty || !Self.skipped(hand).isEmpty)
        #expect(Self.skipped(imported) == Self.skipped(hand))
        #expect(got == want, "only imported: \(got.filter { !want.contains($0) }); only hand-converted: \(want.filter { !got.contains($0) })")
    }

    @Test(.enabled(if: haveSeeds, "needs ../shared/seeds"))
    func datesSayWhereTheyComeFrom() throws {
        func article(_ seed: String) throws -> ImportedArticle {
            try ArticleImporter.convert(data: Data(contentsOf: try Self.seedURL(seed)), fileName: seed, today: Self.today)
        }
        let masthead = try article("003")
        #expect(masthead.date.kind == .stated)
        #expect(masthead.date.explanation.contains("2023 年 12 月 14 日"))
        let link = try article("001")
        #expect(link.date.kind == .link)
        #expect(link.date.explanation.contains("08:20"))
        let text = try article("004")
        #expect(text.date.kind == .happening)
        #expect(text.date.explanation.contains("8月16日"))
        #expect(text.markdown.contains("date: 2023-08-17  # inferred: latest dated happening"))
        // The 12月31日 closing 「将在12月31日营业终止后停业」 is a plan, not a happening.
        let weekly = try article("000")
        #expect(weekly.date.date == CivilDate(iso: "2024-12-20"))
        #expect(weekly.date.explanation.contains("12月19日"))
    }

    @Test func baijiahaoIdEncodesThePublishingTime() {
        let clue = ImportDating.baijiahao("https://baijiahao.baidu.com/s?id=1786211073857792279&wfr=spider&for=pc")
        #expect(clue?.date == CivilDate(iso: "2023-12-25"))
        #expect(clue?.explanation.contains("2023-12-25 08:20 Beijing time") == true)
        #expect(ImportDating.baijiahao("https://example.org/s?id=1786211073857792279") == nil)
    }

    @Test func neverOverwritesAnExistingFile() throws {
        let dir = TempDir()
        dir.write("articles/taken.md", "keep me\n")
        let raw = Data("# 标题\n\n2024年5月15日，字节跳动宣布豆包大模型降价。\n".utf8)
        let article = try ArticleImporter.convert(data: raw, fileName: "raw.txt", today: Self.today)
        var caught: Diagnostic?
        do { _ = try ArticleImporter.write(article, into: dir.url.appendingPathComponent("articles"), slug: "taken") } catch { caught = error }
        #expect(caught?.file.hasSuffix("articles/taken.md") == true)
        #expect(caught?.message.contains("taken.md already exists") == true)
        #expect(dir.read("articles/taken.md") == "keep me\n")
        // The same article under its own name is written, once.
        let url = try ArticleImporter.write(article, into: dir.url.appendingPathComponent("articles"))
        #expect(throws: Diagnostic.self) { _ = try ArticleImporter.write(article, into: dir.url.appendingPathComponent("articles")) }
        #expect(FileManager.default.fileExists(atPath: url.path))
    }

    static let markdownish = """
        # 豆包降价引发价格战

        本报记者 张三

        2024年5月15日，字节跳动宣布豆包大模型降价，比行业便宜99.3%。

        ## 跟进

        5月21日，阿里通义千问宣布大降价；同日，百度宣布文心大模型全面免费。业内人士认为，价格战
        
        还将持续。

        - ◆ 价格战
        - ◆ 商业化

        """

    @Test func plainMarkdownishText() throws {
        let a = try ArticleImporter.convert(data: Data(Self.markdownish.utf8), fileName: "raw.txt", today: Self.today)
        #expect(a.title == "豆包降价引发价格战")
        #expect(a.authors == ["张三"])
        #expect(a.source == nil)
        // The latest happening is 5月21日 (year from 2024年), one day after for publication.
        #expect(a.date.date == CivilDate(iso: "2024-05-22"))
        #expect(a.body.contains("## 跟进"))
        #expect(a.body.contains("价格战还将持续。"))
        #expect(a.body.contains("- 价格战\n- 商业化"))
        #expect(!a.body.contains("本报记者"))
        let dir = TempDir()
        let url = try ArticleImporter.write(a, into: dir.url, slug: "price-war")
        let loaded = try Self.load(url)
        #expect(loaded.meta.title == "豆包降价引发价格战")
        let events = Self.events(loaded)
        #expect(events.contains { $0.value == "2024-05-15" && $0.entities.contains("doubao") })
        #expect(events.contains { $0.value == "2024-05-21" && $0.entities.contains("ernie") })
    }

    @Test func headerLinesWithTheTextBelowThem() throws {
        let raw = "标题: 测试文章\n链接: https://example.org/a\n关键词: 大模型, 降价\n\n2024年5月15日，字节跳动宣布豆包大模型降价。\n\n5月21日，阿里通义千问宣布大降价。\n"
        let a = try ArticleImporter.convert(data: Data(raw.utf8), fileName: "raw.txt", today: Self.today)
        #expect(a.title == "测试文章")
        #expect(a.sourceURL == "https://example.org/a")
        #expect(a.tags == ["大模型", "降价"])
        #expect(a.body == "2024年5月15日，字节跳动宣布豆包大模型降价。\n\n5月21日，阿里通义千问宣布大降价。\n")
        #expect(a.date.date == CivilDate(iso: "2024-05-22"))
    }

    @Test func plainTextTitleAndDateLine() throws {
        let raw = "豆包降价\n\n2024年5月20日\n\n记者 李四\n\n5月15日，字节跳动宣布豆包大模型降价。\n"
        let a = try ArticleImporter.convert(data: Data(raw.utf8), fileName: "raw.txt", today: Self.today)
        #expect(a.title == "豆包降价")
        #expect(a.date.kind == .stated)
        #expect(a.date.date == CivilDate(iso: "2024-05-20"))
        #expect(a.authors == ["李四"])
        #expect(a.body == "5月15日，字节跳动宣布豆包大模型降价。\n")
    }

    @Test func crlfInputGivesTheSameArticle() throws {
        let lf = try ArticleImporter.convert(data: Data(Self.markdownish.utf8), fileName: "raw.txt", today: Self.today)
        let crlf = try ArticleImporter.convert(data: Data(Self.markdownish.replacingOccurrences(of: "\n", with: "\r\n").utf8),
                                               fileName: "raw.txt", today: Self.today)
        #expect(crlf.markdown == lf.markdown)
        #expect(!crlf.markdown.contains("\r"))
    }

    @Test func emptyFileIsAClearError() {
        for raw in ["", "\n\n  \n\u{3000}\n"] {
            var caught: Diagnostic?
            do { _ = try ArticleImporter.convert(data: Data(raw.utf8), fileName: "empty.txt") } catch { caught = error }
            #expect(caught?.file == "empty.txt")
            #expect(caught?.message.contains("nothing to import") == true)
        }
    }

    @Test func badHeaderLinkNamesItsLine() {
        let raw = "标题: 某文章\n链接: baijiahao.baidu.com/s?id=1\n总结: 2024年5月15日，字节跳动宣布豆包大模型降价。\n"
        var caught: Diagnostic?
        do { _ = try ArticleImporter.convert(data: Data(raw.utf8), fileName: "raw.txt") } catch { caught = error }
        #expect(caught?.line == 2)
        #expect(caught?.description.hasPrefix("raw.txt:2: error:") == true)
    }

    @Test func alreadyAnArticleIsRefused() {
        var caught: Diagnostic?
        do { _ = try ArticleImporter.convert(data: Data("---\ntitle: x\n---\n".utf8), fileName: "a.md") } catch { caught = error }
        #expect(caught?.message.contains("front matter") == true)
    }

    @Test func pdfSpacesBetweenChineseCharactersGo() {
        #expect(ImportText.removeCJKSpaces("商汤“日日新” 等大模型") == "商汤“日日新”等大模型")
        #expect(ImportText.removeCJKSpaces("AI 大模型，2023 年 4 月") == "AI 大模型，2023 年 4 月")
        #expect(ImportText.fixBoldPunctuation("**四是上下文理解与生成。**大模型") == "**四是上下文理解与生成**。大模型")
    }

    @Test func runTogetherSummaryGetsItsParagraphsAndSections() {
        let (byline, rest) = ImportText.runInByline("本报记者 袁传玺 见习记者 梁傲男从前，古人用算筹计算着千里万里。")!
        #expect(byline.names == ["袁传玺", "梁傲男"])
        #expect(rest.hasPrefix("从前，"))
        let pieces = ImportText.restoreParagraphs("“大模型遍地开花。”胡学灿表示。AI引发“百模大战”回顾2023年，自3月份ChatGPT-4上线后，国内科技企业纷纷跑步入场。")
        #expect(pieces == [.paragraph("“大模型遍地开花。”胡学灿表示。"), .heading("AI引发“百模大战”"),
                           .paragraph("回顾2023年，自3月份ChatGPT-4上线后，国内科技企业纷纷跑步入场。")])
    }
}
