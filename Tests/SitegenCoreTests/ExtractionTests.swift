import Foundation
import Testing
@testable import SitegenCore

/// Event extraction on small articles written for each rule.
struct ExtractionTests {
    static let entities = [
        Entity(id: "bytedance", name: "字节跳动", kind: .company, aliases: ["字節跳動"]),
        Entity(id: "doubao", name: "豆包", kind: .product, aliases: ["豆包大模型"], parent: "bytedance"),
        Entity(id: "alibaba", name: "阿里巴巴", kind: .company),
        Entity(id: "qwen", name: "通义千问", kind: .product, parent: "alibaba"),
        Entity(id: "baidu", name: "百度", kind: .company),
        Entity(id: "tencent", name: "腾讯", kind: .company),
        Entity(id: "tsmc", name: "台积电", kind: .company, aliases: ["台積電"]),
        Entity(id: "sensetime", name: "商汤科技", kind: .company),
        Entity(id: "mofcom", name: "商务部", kind: .organization),
        Entity(id: "media", name: "虎嗅", kind: .organization),
    ]

    func events(_ body: String, date: String = "2024-12-31") -> [ExtractedEvent] {
        let text = "---\ntitle: t\ndate: \(date)\n---\n" + body
        let article = try! ArticleLoader().load(data: Data(text.utf8), relativePath: "articles/t.md")
        return EventExtractor(entities: Self.entities).extract(MarkdownParser().parse(article))
    }

    @Test func oneEventPerDatedClause() {
        let e = events("如5月21日阿里巴巴通义千问宣布大降价；同日，百度宣布全面免费；22日，腾讯也公布了升级方案。")
        #expect(e.map(\.date.value.string) == ["2024-05-21", "2024-05-21", "2024-05-22"])
        #expect(e.map { $0.entities.first! } == ["alibaba", "baidu", "tencent"])
        #expect(e[0].kind == .pricing)
    }

    @Test func dateOnlyLeadSentenceDatesTheParagraph() {
        let e = events("今年8月底至9月，国产视频生成大模型迎来爆发。字节跳动正式发布豆包视频模型。")
        #expect(e.count == 1)
        #expect(e.first?.date.value.string == "2024-08")
        #expect(e.first?.date.end?.string == "2024-09")
    }

    @Test func dateOnlyClauseLeadsTheNextOne() {
        let e = events("- 7月4日，2024年世界人工智能大会在上海开幕，商汤科技发布日日新5.5大模型。")
        #expect(e.first?.date.value.string == "2024-07-04")
    }

    @Test func questionsAndOffTopicSectionsAreNotEvents() {
        #expect(events("虎嗅：今年以来，大模型有哪些变化？").isEmpty)
        #expect(events("## 商务部：促进消费\n\n1—11月，商务部称社会消费品零售总额达44.3万亿元。").isEmpty)
    }

    @Test func vagueTimeStopsTheCarriedDate() {
        let e = events("2月10日，字节跳动发布豆包新版本。阿里巴巴也在近期宣布接入通义千问。")
        // 近期 is a date of its own (the reference day, APPROX), never the carried 2月10日.
        #expect(e.filter { $0.date.value.string == "2024-02-10" }.count == 1)
        #expect(e.allSatisfy { $0.date.value.string == "2024-02-10" || $0.date.mod == .approx })
    }

    @Test func traditionalChineseArticle() {
        let e = events("## 晶片\n\n台積電1月16日舉行法說會，表示AI晶片需求強勁。", date: "2025-01-20")
        #expect(e.first?.date.value.string == "2025-01-16")
        #expect(e.first?.entities == ["tsmc"])
    }

    @Test func forecastsAreMarked() {
        let e = events("预计到2026年，字节跳动的豆包大模型将有望覆盖十亿用户。")
        #expect(e.first?.isForecast == true)
    }

    @Test func headlinesDropDateWordsAndStayShort() {
        let e = events("Kimi于2023年10月问世。字节跳动旗下AI大模型豆包在2024年5月15日宣布主流大模型企业市场的定价为0.0008元/千Tokens，而市面上同规格模型为0.12元/千Tokens，比行业便宜99.3%。")
        for x in e {
            #expect(!x.headline.contains("2024年"))
            #expect(x.headline.count <= 40)
        }
    }

    @Test func stableKeysSurviveEditsElsewhere() {
        let a = events("2024年5月15日，字节跳动发布豆包。")
        let b = events("前面加了一段与日期无关的话。\n\n2024年5月15日，字节跳动发布豆包。")
        #expect(a.first?.source.key == b.first?.source.key)
    }
}

/// overrides.yml end to end: each kind of override changes the built site.
@Suite(.serialized) struct OverridesEndToEndTests {
    func site(_ overrides: String) throws -> (TempDir, [[String: Any]], String) {
        let dir = TempDir()
        dir.write("content/site.yml", "title: 测试\nbase_url: https://example.org/\n")
        dir.write("content/entities.yml", """
        - id: bytedance
          name: 字节跳动
          kind: company
        - id: doubao
          name: 豆包
          kind: product
          parent: bytedance
        - id: baidu
          name: 百度
          kind: company
        """)
        dir.write("content/articles/a.md", "---\ntitle: 甲\ndate: 2024-12-31\n---\n2024年5月15日，豆包大模型宣布降价。\n\n2024年6月1日，百度发布新模型。\n\n2024年6月2日，百度宣布开源新模型。\n")
        dir.write("content/overrides.yml", overrides)
        let builder = SiteBuilder(options: .init(content: dir.url.appendingPathComponent("content"), templates: Repo.templates,
                                                 output: dir.url.appendingPathComponent("public")))
        _ = try builder.build()
        let json = try JSONSerialization.jsonObject(with: Data(dir.read("public/data/events.json")!.utf8)) as! [String: Any]
        return (dir, json["events"] as! [[String: Any]], dir.read("public/review/index.html") ?? "")
    }

    func key(_ quoteFragment: String) throws -> String {
        let (_, events, _) = try site("")
        let e = events.first { (($0["sources"] as! [[String: Any]]).first!["quote"] as! String).contains(quoteFragment) }!
        return (e["sources"] as! [[String: Any]]).first!["key"] as! String
    }

    @Test func correctSuppressAddMerge() throws {
        let k1 = try key("豆包"), k2 = try key("6月1日"), k3 = try key("6月2日")
        let (_, corrected, _) = try site("- match: \(k1)\n  date: 2024-05-16\n  headline: 豆包大模型降价\n  kind: 降价\n")
        let c = corrected.first { ($0["title"] as! String) == "豆包大模型降价" }
        #expect(c?["date"] as? String == "2024-05-16")

        let (_, suppressed, _) = try site("- match: \(k2)\n  suppress: true\n")
        #expect(suppressed.count == 2)

        let (_, added, _) = try site("- add:\n    article: a\n    date: 2024-07\n    headline: 字节跳动发布豆包视频模型\n    entities: [doubao]\n")
        #expect(added.contains { ($0["date"] as! String) == "2024-07" && ($0["entities"] as! [String]) == ["doubao"] })

        let (_, merged, _) = try site("- merge: [\(k2), \(k3)]\n")
        #expect(merged.count == 2)
        #expect(merged.contains { ($0["sources"] as! [[String: Any]]).count == 2 })
    }

    @Test func unmatchedOverridesAreReported() throws {
        let (_, _, review) = try site("- match: a:doesnotexist\n  suppress: true\n")
        #expect(review.contains("a:doesnotexist"))
        #expect(review.contains("noindex"))
    }
}
