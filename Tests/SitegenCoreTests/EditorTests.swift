import Foundation
import Testing
@testable import SitegenCore

/// `sitegen check` finding kinds, `sitegen new`, and the real content being clean.
struct ContentCheckerTests {
    func content(_ dir: TempDir, articles: [String: String], overrides: String? = nil) -> URL {
        dir.write("content/site.yml", "title: 测试\nbase_url: https://example.org/\n")
        dir.write("content/entities.yml", "- id: doubao\n  name: 豆包\n  kind: product\n  aliases: [豆包大模型]\n- id: bytedance\n  name: 字节跳动\n  kind: company\n")
        for (name, text) in articles { dir.write("content/articles/\(name)", text) }
        if let overrides { dir.write("content/overrides.yml", overrides) }
        return dir.url.appendingPathComponent("content")
    }

    @Test func realContentIsClean() {
        let report = ContentChecker(contentDirectory: Repo.content).run()
        #expect(report.findings.isEmpty, "\(report.findings)")
        #expect(report.articles == 5)
    }

    @Test func frontMatterErrorsHaveFileAndLine() {
        let dir = TempDir()
        let r = ContentChecker(contentDirectory: content(dir, articles: ["a.md": "---\ntitle: 甲\ndate: 2024-13-01\n---\n正文\n"])).run()
        #expect(r.errorCount == 1)
        #expect(r.findings.first?.location == "articles/a.md:3:7")
    }

    @Test func brokenInternalLinks() {
        let dir = TempDir()
        let r = ContentChecker(contentDirectory: content(dir, articles: [
            "a.md": "---\ntitle: 甲\ndate: 2024-05-20\n---\n见[另一篇](b.md)和[不存在](missing.md)，以及[实体](/entities/nobody/)。\n",
            "b.md": "---\ntitle: 乙\ndate: 2024-05-20\n---\n正文\n",
        ])).run()
        let links = r.findings.filter { $0.message.contains("broken internal link") }
        #expect(links.count == 2)
        #expect(links.allSatisfy { $0.file == "articles/a.md" && $0.line == 5 })
    }

    @Test func likelyDuplicateEvents() {
        let dir = TempDir()
        // Alike but not alike enough to merge by themselves (different kinds): the checker flags them.
        let r = ContentChecker(contentDirectory: content(dir, articles: [
            "a.md": "---\ntitle: 甲\ndate: 2024-05-20\n---\n2024年5月15日，豆包大模型迎来重要更新，并将持续投入研发。\n\n另有评论。\n\n2024年5月15日，豆包大模型迎来重要更新，并宣布全面免费。\n",
        ])).run()
        #expect(r.findings.contains { $0.message.contains("possible duplicate") && $0.hint?.contains("merge") == true })
    }

    @Test func unknownActorsAreSuggestedByHowOftenTheyAct() {
        let dir = TempDir()
        let r = ContentChecker(contentDirectory: content(dir, articles: [
            "a.md": "---\ntitle: 甲\ndate: 2025-06-20\n---\n6月3日，澄镜科技发布Lumen-2模型。\n\n6月10日，澄镜科技宣布完成B轮融资。\n\n"
                + "6月12日，弈帆智能宣布降价，创始人称这是“第二大脑”。\n",
        ])).run()
        let suggested = r.findings.filter { $0.message.contains("suggested entity") }
        #expect(suggested.first?.message.contains("澄镜科技") == true)
        #expect(suggested.first?.message.contains("2 events") == true)
        #expect(suggested.first?.line == 5)
        #expect(suggested.contains { $0.message.contains("弈帆智能") && $0.line == 9 })
        #expect(suggested.contains { $0.message.contains("Lumen-2") })
        // Quoted speech is not a product name.
        #expect(!r.findings.contains { $0.message.contains("第二大脑") })
        #expect(suggested.allSatisfy { $0.hint?.contains("entities.yml") == true })
    }

    @Test func unmatchedOverrides() {
        let dir = TempDir()
        let r = ContentChecker(contentDirectory: content(dir, articles: [
            "a.md": "---\ntitle: 甲\ndate: 2024-05-20\n---\n2024年5月15日，豆包大模型宣布降价。\n",
        ], overrides: "- match: a:0000000000\n  suppress: true\n")).run()
        #expect(r.findings.contains { $0.file == "overrides.yml" && $0.line == 1 && $0.message.contains("matches no event") })
    }

    @Test func badOverrideIsAnError() {
        let dir = TempDir()
        let r = ContentChecker(contentDirectory: content(dir, articles: [
            "a.md": "---\ntitle: 甲\ndate: 2024-05-20\n---\n正文\n",
        ], overrides: "- match: a:1\n  date: 2024-02-30\n")).run()
        #expect(r.errorCount == 1)
        #expect(r.findings.first?.file == "overrides.yml")
        #expect(r.findings.first?.line == 2)
    }
}

struct NewArticleTests {
    @Test func createsFrontMatterAndNeverOverwrites() throws {
        let dir = TempDir()
        let folder = dir.url.appendingPathComponent("articles")
        let date = CivilDate(iso: "2024-05-15")!
        let first = try NewArticle.create(title: "豆包 降价", date: date, slug: nil, in: folder)
        let second = try NewArticle.create(title: "豆包 降价", date: date, slug: nil, in: folder)
        #expect(first.lastPathComponent == "豆包-降价.md")
        #expect(second.lastPathComponent == "豆包-降价-2.md")
        let loaded = try ArticleLoader().load(data: Data(contentsOf: first), relativePath: "articles/" + first.lastPathComponent)
        #expect(loaded.meta.title == "豆包 降价")
        #expect(loaded.meta.date == date)
        let hostile = try NewArticle.create(title: "../../etc/passwd \"x\"", date: date, slug: nil, in: folder)
        #expect(hostile.deletingLastPathComponent().path == folder.path)
        #expect(throws: Diagnostic.self) { try NewArticle.create(title: "  ", date: date, slug: nil, in: folder) }
    }
}
