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
