import Foundation
import Testing
@testable import SitegenCore

/// A small site that builds, then is broken one way at a time. Every bad input of issue 7 must
/// fail the build with the exact place (file, line, column), leave the previous public/
/// byte-identical and leave no staging folder beside it.
final class MiniSite: @unchecked Sendable {
    let dir = TempDir()
    var content: URL { dir.url.appendingPathComponent("content") }
    var output: URL { dir.url.appendingPathComponent("public") }
    var templates: URL = Repo.templates

    static let entities = """
        - id: bytedance
          name: 字节跳动
          kind: company
        - id: doubao
          name: 豆包
          kind: product
          aliases: [豆包大模型]
          parent: bytedance

        """
    static let goodArticle = "---\ntitle: 好文章\ndate: 2024-05-20\ntags: [大模型]\n---\n2024年5月15日，豆包大模型宣布降价。\n"

    init() {
        dir.write("content/site.yml", "title: 测试站\nbase_url: https://example.org/\n")
        dir.write("content/entities.yml", Self.entities)
        dir.write("content/articles/a.md", Self.goodArticle)
    }

    /// Templates copied into the site's folder, so a test can break them.
    func ownTemplates() throws {
        let own = dir.url.appendingPathComponent("Templates")
        try FileManager.default.copyItem(at: Repo.templates, to: own)
        templates = own
    }

    func builder(keepGoing: Bool = false) -> SiteBuilder {
        SiteBuilder(options: .init(content: content, templates: templates, output: output, keepGoing: keepGoing))
    }

    func write(_ relative: String, _ data: Data) throws {
        let url = dir.url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    /// Staging folders beside the output (the spare copy a build keeps on purpose is not one).
    func stagingLeftovers() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.url.path)) ?? []).filter { $0.hasPrefix(".public.") && $0 != ".public.spare" }
    }

    /// Builds the good site, applies `breakIt`, builds again: returns the errors of the failed
    /// build after checking that public/ is byte-identical to the good build and nothing is left beside it.
    func failure(sourceLocation: SourceLocation = #_sourceLocation, _ breakIt: (MiniSite) throws -> Void) throws -> [Diagnostic] {
        _ = try builder().build()
        let before = snapshot(output)
        #expect(before["/index.html"] != nil, sourceLocation: sourceLocation)
        try breakIt(self)
        var errors: [Diagnostic] = []
        do {
            _ = try builder().build()
            Issue.record("the broken site built", sourceLocation: sourceLocation)
        } catch {
            errors = error.diagnostics.filter { $0.severity == .error }
        }
        #expect(snapshot(output) == before, "public/ changed", sourceLocation: sourceLocation)
        #expect(stagingLeftovers().isEmpty, sourceLocation: sourceLocation)
        return errors
    }

    /// As `failure`, for a bad article: the single error, which must name `articles/bad.md`.
    func articleFailure(_ data: Data, sourceLocation: SourceLocation = #_sourceLocation) throws -> Diagnostic {
        let errors = try failure(sourceLocation: sourceLocation) { try $0.write("content/articles/bad.md", data) }
        #expect(errors.count == 1, "\(errors)", sourceLocation: sourceLocation)
        let d = try #require(errors.first, sourceLocation: sourceLocation)
        #expect(d.file == "articles/bad.md", sourceLocation: sourceLocation)
        return d
    }

    func articleFailure(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Diagnostic {
        try articleFailure(Data(text.utf8), sourceLocation: sourceLocation)
    }

    /// As `failure`, for a broken entities.yml.
    func entityFailure(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Diagnostic {
        let errors = try failure(sourceLocation: sourceLocation) { $0.dir.write("content/entities.yml", yaml) }
        #expect(errors.count == 1, "\(errors)", sourceLocation: sourceLocation)
        let d = try #require(errors.first, sourceLocation: sourceLocation)
        #expect(d.file == "entities.yml", sourceLocation: sourceLocation)
        return d
    }
}

@Suite struct BadInputTests {
    // MARK: front matter

    @Test func frontMatterWithAYAMLSyntaxError() throws {
        let d = try MiniSite().articleFailure("---\ntitle: 标题: 副标题\ndate: 2024-05-20\n---\n正文\n")
        #expect(d.location == "articles/bad.md:2:10")
        #expect(d.message.contains("YAML"))
        #expect(d.excerpt == "title: 标题: 副标题")
    }

    @Test func frontMatterThatIsNotAMapping() throws {
        let d = try MiniSite().articleFailure("---\ntitle = \"TOML, not YAML\"\ndate = 2024-05-20\n---\n正文\n")
        #expect(d.location == "articles/bad.md:2:1")
        #expect(d.message.contains("mapping"))
    }

    @Test func missingTitle() throws {
        let d = try MiniSite().articleFailure("---\ndate: 2024-05-20\nsource: 某报\n---\n正文\n")
        #expect(d.location == "articles/bad.md:2:1")
        #expect(d.message.contains("`title`"))
        #expect(d.hint?.contains("title:") == true)
    }

    @Test func missingDate() throws {
        let d = try MiniSite().articleFailure("---\ntitle: 没有日期\nsource: 某报\n---\n正文\n")
        #expect(d.location == "articles/bad.md:2:1")
        #expect(d.message.contains("`date`"))
    }

    @Test func impossibleDate() throws {
        let d = try MiniSite().articleFailure("---\ntitle: 二月三十日\ndate: 2024-02-30\n---\n正文\n")
        #expect(d.location == "articles/bad.md:3:7")
        #expect(d.message.contains("2024-02-30"))
        #expect(d.excerpt == "date: 2024-02-30")
    }

    @Test func tagsOfTheWrongType() throws {
        let d = try MiniSite().articleFailure("---\ntitle: 标签\ndate: 2024-05-20\ntags: 5\n---\n正文\n")
        #expect(d.location == "articles/bad.md:4:7")
        #expect(d.message.contains("tags"))
        #expect(d.excerpt == "tags: 5")
    }

    // MARK: bytes of the file

    @Test func invalidUTF8() throws {
        let bytes = Data("---\ntitle: 乱码\ndate: 2024-05-20\n---\n第一行\n第二行".utf8) + Data([0xE4, 0xB8]) + Data("\n".utf8)
        let d = try MiniSite().articleFailure(bytes)
        #expect(d.location == "articles/bad.md:6:4")
        #expect(d.message.contains("UTF-8"))
    }

    @Test func gbkEncodedFile() throws {
        // 「标题」 in GBK: the usual way a Chinese file is not UTF-8.
        let bytes = Data("---\ntitle: ".utf8) + Data([0xB1, 0xEA, 0xCC, 0xE2]) + Data("\ndate: 2024-05-20\n---\n".utf8)
        let d = try MiniSite().articleFailure(bytes)
        #expect(d.location == "articles/bad.md:2:8")
        #expect(d.hint?.contains("iconv") == true)
    }

    @Test func byteOrderMarkIsAccepted() throws {
        let site = MiniSite()
        try site.write("content/articles/bom.md", Data([0xEF, 0xBB, 0xBF]) + Data("---\ntitle: 带BOM的文章\ndate: 2024-05-21\n---\n2024年5月21日，豆包发布新版本。\n".utf8))
        let report = try site.builder().build()
        #expect(report.articles == 2)
        let page = try #require(site.dir.read("public/articles/bom/index.html"))
        #expect(page.contains("带BOM的文章"))
        #expect(!page.contains("\u{FEFF}"))
    }

    @Test func crlfLineEndingsAreAcceptedAndErrorsStillPointAtTheRightLine() throws {
        let site = MiniSite()
        site.dir.write("content/articles/crlf.md", "---\r\ntitle: Windows 文章\r\ndate: 2024-05-21\r\n---\r\n2024年5月21日，豆包发布新版本。\r\n")
        let report = try site.builder().build()
        #expect(report.articles == 2)
        #expect(site.dir.read("public/articles/crlf/index.html")?.contains("Windows 文章") == true)

        let d = try MiniSite().articleFailure("---\r\ntitle: t\r\ndate: 2024-02-30\r\n---\r\n")
        #expect(d.location == "articles/bad.md:3:7")
        #expect(d.excerpt == "date: 2024-02-30")
    }

    @Test func emptyFile() throws {
        let d = try MiniSite().articleFailure(Data())
        #expect(d.location == "articles/bad.md:1")
        #expect(d.message.contains("empty"))
    }

    @Test func binaryFile() throws {
        // A PNG header: its first NUL byte opens the third "line".
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52])
        let d = try MiniSite().articleFailure(png)
        #expect(d.location == "articles/bad.md:3:1")
        #expect(d.message.contains("binary"))
    }

    @Test func tenMegabyteArticle() throws {
        var text = "---\ntitle: 巨大\ndate: 2024-05-20\n---\n"
        let line = String(repeating: "大模型产业新闻。", count: 100) + "\n"
        while text.utf8.count < 10 * 1024 * 1024 { text += line }
        let d = try MiniSite().articleFailure(text)
        #expect(d.location == "articles/bad.md")
        #expect(d.message.contains("more than the 4 MiB"))
        #expect(d.hint?.contains("split") == true)
    }

    // MARK: the file system

    @Test func folderNamedLikeAnArticle() throws {
        let errors = try MiniSite().failure { site in
            site.dir.write("content/articles/folder.md/inner.md", MiniSite.goodArticle)
        }
        #expect(errors.map(\.location) == ["articles/folder.md"])
        #expect(errors.first?.message.contains("folder") == true)
    }

    @Test func unreadableFile() throws {
        let site = MiniSite()
        let path = site.content.appendingPathComponent("articles/locked.md").path
        defer { chmod(path, 0o644) }  // so the temp folder can be removed
        _ = try site.builder().build()
        let before = snapshot(site.output)
        site.dir.write("content/articles/locked.md", "---\ntitle: 锁住的文章\ndate: 2024-05-21\n---\n正文\n")
        #expect(chmod(path, 0) == 0)
        if FileManager.default.contents(atPath: path) != nil {
            // Running as root: permissions do not stop reading, so the file is simply an article.
            // The other way round, then: nothing may be lost.
            let report = try site.builder().build()
            #expect(report.articles == 2)
            #expect(site.dir.read("public/articles/locked/index.html")?.contains("锁住的文章") == true)
            return
        }
        do {
            _ = try site.builder().build()
            Issue.record("an unreadable article was ignored")
        } catch {
            #expect(error.diagnostics.map(\.location) == ["articles/locked.md"])
            #expect(error.diagnostics.first?.message.contains("cannot be read") == true)
        }
        #expect(snapshot(site.output) == before)
        #expect(site.stagingLeftovers().isEmpty)
    }

    /// A named pipe would block a naive read forever; as root, this is also the unreadable file
    /// that `chmod 000` cannot make.
    @Test func namedPipeNamedLikeAnArticle() throws {
        let errors = try MiniSite().failure { site in
            #expect(mkfifo(site.content.appendingPathComponent("articles/pipe.md").path, 0o644) == 0)
        }
        #expect(errors.map(\.location) == ["articles/pipe.md"])
        #expect(errors.first?.message.contains("not a regular file") == true)
    }

    @Test func duplicateArticleSlugs() throws {
        let errors = try MiniSite().failure { site in
            // Sorted, b.md comes after a.md and claims a.md's slug.
            site.dir.write("content/articles/b.md", "---\ntitle: 同名\ndate: 2024-05-21\nslug: a\n---\n正文\n")
        }
        #expect(errors.map(\.location) == ["articles/b.md:4:7"])
        #expect(errors.first?.message.contains("articles/a.md") == true)
    }

    // MARK: entities.yml

    @Test func unknownEntityParent() throws {
        let d = try MiniSite().entityFailure(MiniSite.entities + "- id: kimi\n  name: Kimi\n  kind: product\n  parent: moonshot\n")
        #expect(d.location == "entities.yml:12:11")
        #expect(d.message.contains("moonshot"))
        #expect(d.excerpt == "  parent: moonshot")
    }

    @Test func duplicateEntityIDs() throws {
        let d = try MiniSite().entityFailure(MiniSite.entities + "- id: doubao\n  name: 豆包二号\n  kind: product\n")
        #expect(d.location == "entities.yml:9:7")
        #expect(d.message.contains("first defined on line 4"))
    }

    @Test func aliasClaimedByTwoEntities() throws {
        let d = try MiniSite().entityFailure(MiniSite.entities + "- id: doubao-pro\n  name: 豆包专业版\n  kind: product\n  aliases: [豆包大模型]\n")
        #expect(d.location == "entities.yml:12:12")
        #expect(d.message.contains("豆包大模型"))
        #expect(d.message.contains("line 4"))
    }

    @Test func unknownEntityKind() throws {
        let d = try MiniSite().entityFailure(MiniSite.entities + "- id: mars\n  name: 火星\n  kind: planet\n")
        #expect(d.location == "entities.yml:11:9")
        #expect(d.hint?.contains("company") == true)
    }

    // MARK: templates

    @Test func templateSyntaxError() throws {
        let errors = try MiniSite().failure { site in
            try site.ownTemplates()
            let footer = site.templates.appendingPathComponent("footer.mustache")
            let text = try String(contentsOf: footer, encoding: .utf8)
            try ("<p>\n{{#broken}}\n" + text).write(to: footer, atomically: true, encoding: .utf8)
        }
        #expect(errors.count == 1)
        let d = try #require(errors.first)
        #expect(d.file == "Templates/footer.mustache")
        #expect(d.message.contains("template syntax error"))
        #expect(d.line != nil)
    }

    @Test func templateClosingTagWithoutOpening() throws {
        let errors = try MiniSite().failure { site in
            try site.ownTemplates()
            let footer = site.templates.appendingPathComponent("footer.mustache")
            let text = try String(contentsOf: footer, encoding: .utf8)
            try ("<p>\n  {{/nowhere}}\n" + text).write(to: footer, atomically: true, encoding: .utf8)
        }
        #expect(errors.map(\.location) == ["Templates/footer.mustache:2:6"])
        #expect(errors.first?.excerpt == "  {{/nowhere}}")
    }

    @Test func missingPartial() throws {
        let errors = try MiniSite().failure { site in
            try site.ownTemplates()
            let index = site.templates.appendingPathComponent("index.mustache")
            let text = try String(contentsOf: index, encoding: .utf8)
            try ("{{> header}}\n{{> no-such-partial}}\n" + text).write(to: index, atomically: true, encoding: .utf8)
        }
        #expect(errors.map(\.location) == ["Templates/index.mustache:2"])
        #expect(errors.first?.message.contains("no-such-partial") == true)
        #expect(errors.first?.excerpt == "{{> no-such-partial}}")
    }

    // MARK: leftovers of a killed build

    @Test func stagingFoldersOfDeadBuildsAreRemovedAndARetiredSiteIsPutBack() throws {
        let site = MiniSite()
        _ = try site.builder().build()
        let good = snapshot(site.output)
        // A staging folder of a process that no longer exists (pid 2^22 + 1 is above Linux's pid_max).
        site.dir.write(".public.new-4194305-1700000000000/index.html", "half a site")
        // A killed build between the two renames of the fallback swap: no public/, the old site retired.
        try FileManager.default.moveItem(at: site.output, to: site.dir.url.appendingPathComponent(".public.old-4194305-1700000000001"))
        let writer = OutputWriter(output: site.output, protectedFolders: [site.content])
        writer.removeLeftoversOfDeadBuilds()
        #expect(snapshot(site.output) == good)
        #expect(site.stagingLeftovers().isEmpty)
        // A live process's staging folder is left alone (this process is alive).
        let mine = ".public.new-\(getppid())-1700000000002"
        site.dir.write(mine + "/index.html", "another build at work")
        writer.removeLeftoversOfDeadBuilds()
        #expect(site.stagingLeftovers() == [mine])
    }
}
