import Foundation
import Testing
@testable import SitegenCore

struct ArticleLoaderTests {
    func load(_ text: String) throws(Diagnostic) -> ArticleSource {
        try ArticleLoader().load(data: Data(text.utf8), relativePath: "articles/x.md")
    }

    func error(_ text: String) -> Diagnostic? {
        do { _ = try load(text); return nil } catch { return error }
    }

    @Test func readsFrontMatterAndBody() throws {
        let a = try load("---\ntitle: \"标题\"\ndate: 2024-05-15  # a comment\nsource: 某报\ntags: [大模型, AI]\nauthor: [甲, 乙]\n---\n正文第一段。\n")
        #expect(a.meta.title == "标题")
        #expect(a.meta.date == CivilDate(iso: "2024-05-15"))
        #expect(a.meta.tags == ["大模型", "AI"])
        #expect(a.meta.authors == ["甲", "乙"])
        #expect(a.meta.slug == "x")
        #expect(a.bodyStartLine == 8)
        #expect(a.body.hasPrefix("正文第一段"))
    }

    @Test func missingTitleNamesTheFile() {
        let e = error("---\ndate: 2024-05-15\n---\nbody")
        #expect(e?.file == "articles/x.md")
        #expect(e?.message.contains("title") == true)
    }

    @Test func impossibleDateNamesLineAndColumn() {
        let e = error("---\ntitle: t\ndate: 2024-02-30\n---\n")
        #expect(e?.line == 3)
        #expect(e?.column == 7)
        #expect(e?.message.contains("2024-02-30") == true)
        #expect(e?.excerpt == "date: 2024-02-30")
    }

    @Test func wrongTypeForTags() {
        let e = error("---\ntitle: t\ndate: 2024-01-02\ntags: 5\n---\n")
        #expect(e?.line == 4)
        #expect(e?.message.contains("tags") == true)
    }

    @Test func invalidYAMLPointsAtTheLine() {
        let e = error("---\ntitle: t\ndate: 2024-01-02\ntags: [a, b\n---\n")
        #expect(e != nil)
        #expect((e?.line ?? 0) >= 4)
        #expect(e?.message.contains("YAML") == true)
    }

    @Test func noFrontMatter() {
        let e = error("# 标题\n正文")
        #expect(e?.line == 1)
        #expect(e?.hint?.contains("---") == true)
    }

    @Test func emptyAndBinaryAndInvalidUTF8() {
        #expect(error("")?.message.contains("empty") == true)
        do {
            _ = try ArticleLoader().load(data: Data([0x2D, 0x2D, 0x2D, 0x0A, 0x00, 0x01]), relativePath: "articles/b.md")
            Issue.record("binary file accepted")
        } catch { #expect(error.message.contains("binary")) }
        do {
            _ = try ArticleLoader().load(data: Data("---\ntitle: t\n".utf8) + Data([0xE4, 0xB8]) + Data("\n---\n".utf8), relativePath: "articles/u.md")
            Issue.record("invalid UTF-8 accepted")
        } catch {
            #expect(error.message.contains("UTF-8"))
            #expect(error.line == 3)
        }
    }

    @Test func bomAndCRLFAreAccepted() throws {
        let a = try load("\u{FEFF}---\r\ntitle: t\r\ndate: 2024-01-02\r\n---\r\n正文\r\n")
        #expect(a.meta.title == "t")
        #expect(!a.body.contains("\r"))
    }

    /// The byte-level split must cut where the definition says: the first line is `---` once
    /// trimmed, the front matter ends at the next such line. The reference here is that definition
    /// written on `Character` lines, as the loader once did it.
    static let frontMatterCases: [String] = [
        "---\ntitle: t\n---\nbody\n",
        "---\ntitle: t\n---",
        "---\n---\n",
        "---\n---",
        "  ---\t\ntitle: t\n\t--- \nbody\nmore\n",
        "\u{3000}---\u{3000}\ntitle: t\n---\u{00A0}\nbody",
        "---\ntitle: t\n----\n --- x\n---\nafter",
        "---\ntitle: t\n---\u{0301}\n---\nx",
        "---\n",
        "---",
        "",
        "title: t\n---\n",
        "---\ntitle: t\nnever closed\n",
        "---\ntitle: 「引号」\n---\n\n\n正文\n\n",
    ]

    @Test(arguments: frontMatterCases) func frontMatterSplitMatchesLineDefinition(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let fence = { (l: Substring) in l.trimmingCharacters(in: .whitespaces) == "---" }
        let result = FrontMatterSplit.of(text)
        guard let first = lines.first, fence(first) else {
            #expect(result == .failure(.noOpening(firstLine: String(lines.first ?? ""))))
            return
        }
        guard let closing = lines.dropFirst().firstIndex(where: fence) else {
            #expect(result == .failure(.neverClosed))
            return
        }
        let expected = FrontMatterSplit(yaml: lines[1..<closing].joined(separator: "\n"),
                                        body: lines[(closing + 1)...].joined(separator: "\n"),
                                        closingLineIndex: closing)
        #expect(result == .success(expected))
    }

    @Test func slugsAreSafe() {
        #expect(SafeName.slug("../../etc/passwd") == "etc-passwd")
        #expect(SafeName.slug("Hello World") == "hello-world")
        #expect(SafeName.slug("con") == "con-1")
        #expect(SafeName.slug("大模型 2024") == "大模型-2024")
    }
}

struct EntityCatalogTests {
    func errors(_ yaml: String) -> [Diagnostic] {
        do { _ = try EntityCatalogLoader().load(text: yaml); return [] } catch { return error.diagnostics }
    }

    @Test func unknownParent() {
        let e = errors("- id: a\n  name: 甲\n  kind: product\n  parent: nobody\n")
        #expect(e.count == 1)
        #expect(e.first?.line == 4)
        #expect(e.first?.column == 11)
        #expect(e.first?.message.contains("nobody") == true)
    }

    @Test func duplicateIDsAndAliases() {
        let dup = errors("- id: a\n  name: 甲\n  kind: company\n- id: a\n  name: 乙\n  kind: company\n")
        #expect(dup.first?.line == 4)
        let alias = errors("- id: a\n  name: 甲公司\n  kind: company\n  aliases: [共同]\n- id: b\n  name: 乙公司\n  kind: company\n  aliases: [共同]\n")
        #expect(alias.first?.message.contains("共同") == true)
        #expect(alias.first?.line == 8)
    }

    @Test func unknownKind() {
        let e = errors("- id: a\n  name: 甲\n  kind: planet\n")
        #expect(e.first?.line == 3)
        #expect(e.first?.hint?.contains("company") == true)
    }

    @Test func realCatalogLoads() throws {
        let text = try String(contentsOf: Repo.content.appendingPathComponent("entities.yml"), encoding: .utf8)
        let entities = try EntityCatalogLoader().load(text: text)
        #expect(entities.count > 100)
        let byID = Dictionary(uniqueKeysWithValues: entities.map { ($0.id, $0) })
        #expect(byID["kimi"]?.parent == "moonshot")
        #expect(byID["doubao"]?.parent == "bytedance")
    }
}

struct EntityMatcherTests {
    let matcher = EntityMatcher(entities: [
        Entity(id: "gpt4", name: "GPT-4", kind: .product),
        Entity(id: "gpt4o", name: "GPT-4o", kind: .product),
        Entity(id: "bytedance", name: "字节跳动", kind: .company, aliases: ["ByteDance"]),
        Entity(id: "doubao", name: "豆包", kind: .product, aliases: ["豆包大模型"], parent: "bytedance"),
        Entity(id: "q360", name: "360", kind: .company),
    ])

    func ids(_ s: String) -> [String] { matcher.entityIDs(in: Array(s.unicodeScalars)) }

    @Test func longestAliasWins() {
        #expect(ids("GPT-4o发布") == ["gpt4o"])
        #expect(ids("GPT-4发布") == ["gpt4"])
        #expect(ids("豆包大模型上线") == ["doubao"])
    }

    @Test func latinAliasesRespectWordBoundaries() {
        #expect(ids("营收3600万") == [])
        #expect(ids("360发布") == ["q360"])
        #expect(ids("bytedance宣布") == ["bytedance"])
    }

    @Test func traditionalScriptMatches() {
        #expect(ids("字節跳動發佈") == ["bytedance"])
    }
}

/// The front matter memo may only ever save work: what is loaded through it must equal a fresh
/// parse, and anything it cannot vouch for is parsed again.
@Suite struct FrontMatterMemoTests {
    func realArticles() throws -> [(path: String, data: Data)] {
        let dir = Repo.content.appendingPathComponent("articles")
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".md") }.sorted().map {
            ("articles/\($0)", try Data(contentsOf: dir.appendingPathComponent($0)))
        }
    }

    /// Every real article, plus one with a BOM and CRLF line breaks and one whose body is empty.
    func samples() throws -> [(path: String, data: Data)] {
        try realArticles() + [
            ("articles/crlf.md", Data("\u{FEFF}---\r\ntitle: 回车\r\ndate: 2024-03-01\r\nslug: crlf-article\r\n---\r\n正文\r\n第二行".utf8)),
            ("articles/empty-body.md", Data("---\ntitle: 空\ndate: 2024-03-02\n---".utf8)),
        ]
    }

    @Test func articlesLoadedThroughTheMemoEqualAFreshParse() throws {
        let dir = TempDir()
        let file = dir.url.appendingPathComponent("front-matter.bin").path
        let loader = ArticleLoader()
        let first = FrontMatterMemo(file: file)
        let fresh = try samples().map { try loader.load(data: $0.data, relativePath: $0.path, memo: first) }
        #expect(first.counts == (hits: 0, parsed: fresh.count))
        first.save()

        let second = FrontMatterMemo(file: file)
        let remembered = try samples().map { try loader.load(data: $0.data, relativePath: $0.path, memo: second) }
        #expect(second.counts == (hits: fresh.count, parsed: 0))
        #expect(remembered == fresh)
        let plain = try samples().map { try loader.load(data: $0.data, relativePath: $0.path) }
        #expect(plain == fresh)
    }

    @Test func changedBytesOrAnotherPathAreParsedAgain() throws {
        let dir = TempDir()
        let file = dir.url.appendingPathComponent("front-matter.bin").path
        let loader = ArticleLoader()
        let text = "---\ntitle: 原标题\ndate: 2024-05-15\n---\n正文。\n"
        let memo = FrontMatterMemo(file: file)
        _ = try loader.load(data: Data(text.utf8), relativePath: "articles/a.md", memo: memo)
        memo.save()

        let next = FrontMatterMemo(file: file)
        let edited = try loader.load(data: Data(text.replacingOccurrences(of: "原标题", with: "新标题").utf8), relativePath: "articles/a.md", memo: next)
        #expect(edited.meta.title == "新标题")
        let moved = try loader.load(data: Data(text.utf8), relativePath: "articles/b.md", memo: next)
        #expect(moved.meta.slug == "b")
        #expect(next.counts == (hits: 0, parsed: 2))
        // A file with an error is never remembered: the error comes back every time.
        let broken = Data("---\ntitle: 坏\ndate: 2024-02-30\n---\n".utf8)
        for _ in 0..<2 {
            #expect(throws: Diagnostic.self) { try loader.load(data: broken, relativePath: "articles/c.md", memo: next) }
        }
        #expect(next.counts.parsed == 2)
    }

    @Test func aForeignOrDamagedMemoFileIsIgnored() throws {
        let dir = TempDir()
        let file = dir.url.appendingPathComponent("front-matter.bin").path
        let loader = ArticleLoader()
        let articles = try realArticles()
        let memo = FrontMatterMemo(file: file)
        for a in articles { _ = try loader.load(data: a.data, relativePath: a.path, memo: memo) }
        memo.save()
        let good = try #require(FileManager.default.contents(atPath: file))
        for damaged in [Data(), good.prefix(good.count / 2), Data("SGFM".utf8) + good.dropFirst(4).map { $0 ^ 0x5A }] {
            try damaged.write(to: URL(fileURLWithPath: file))
            let again = FrontMatterMemo(file: file)
            let loaded = try articles.map { try loader.load(data: $0.data, relativePath: $0.path, memo: again) }
            #expect(again.counts.hits == 0)
            #expect(loaded == articles.map { try! loader.load(data: $0.data, relativePath: $0.path) })
        }
    }

    /// The saved memo holds this build's articles only: a deleted article's entry goes.
    @Test func saveKeepsOnlyTheArticlesOfThisBuild() throws {
        let dir = TempDir()
        let file = dir.url.appendingPathComponent("front-matter.bin").path
        let loader = ArticleLoader()
        let a = Data("---\ntitle: 甲\ndate: 2024-01-01\n---\n".utf8), b = Data("---\ntitle: 乙\ndate: 2024-01-02\n---\n".utf8)
        let memo = FrontMatterMemo(file: file)
        _ = try loader.load(data: a, relativePath: "articles/a.md", memo: memo)
        _ = try loader.load(data: b, relativePath: "articles/b.md", memo: memo)
        memo.save()
        #expect(FrontMatterMemo.read(file)?.count == 2)
        let onlyA = FrontMatterMemo(file: file)
        _ = try loader.load(data: a, relativePath: "articles/a.md", memo: onlyA)
        onlyA.save()
        #expect(FrontMatterMemo.read(file)?.count == 1)
        let check = FrontMatterMemo(file: file)
        _ = try loader.load(data: b, relativePath: "articles/b.md", memo: check)
        #expect(check.counts == (hits: 0, parsed: 1))
    }
}
