import Foundation
import Testing
@testable import SitegenCore

/// `--keep-going`: bad articles, entity definitions and overrides are left out and listed; the
/// rest is built. Template errors and errors of a whole file stay fatal.
@Suite struct KeepGoingTests {
    static let badEntities = """
        - id: mars
          name: 火星
          kind: planet
        - id: rover
          name: 火星车
          kind: product
          parent: mars
        - id: kimi
          name: Kimi
          kind: product
          parent: moonshot

        """

    func brokenSite() throws -> MiniSite {
        let site = MiniSite()
        site.dir.write("content/entities.yml", MiniSite.entities + Self.badEntities)
        site.dir.write("content/articles/bad-date.md", "---\ntitle: 坏日期\ndate: 2024-02-30\n---\n正文\n")
        try site.write("content/articles/binary.md", Data([0x2D, 0x2D, 0x2D, 0x0A, 0x00, 0x01]))
        site.dir.write("content/articles/folder.md/inner.md", MiniSite.goodArticle)
        site.dir.write("content/articles/good.md", "---\ntitle: 火星车\ndate: 2024-06-02\n---\n2024年6月1日，火星车正式发布。\n")
        site.dir.write("content/overrides.yml", "- add:\n    article: a\n    date: 2024-05-16\n    headline: 不存在的实体\n    entities: [nobody]\n")
        return site
    }

    @Test func withoutTheFlagEveryProblemFailsTheBuild() throws {
        let site = try brokenSite()
        do {
            _ = try site.builder().build()
            Issue.record("a broken site built")
        } catch {
            let errors = error.diagnostics.filter { $0.severity == .error }
            // Strict: 火星车's parent counts as undefined too, since 火星 failed.
            #expect(errors.count == 7, "\(errors)")
        }
        #expect(!FileManager.default.fileExists(atPath: site.output.path))
    }

    @Test func badArticlesEntitiesAndOverridesAreSkippedAndListed() throws {
        let site = try brokenSite()
        let report = try site.builder(keepGoing: true).build()
        #expect(report.skipped.allSatisfy { $0.severity == .warning })
        #expect(report.skipped.map(\.location).sorted() == [
            "articles/bad-date.md:3:7", "articles/binary.md:2:1", "articles/folder.md",
            "entities.yml:11:9", "entities.yml:19:11", "overrides.yml:5:15",
        ])
        #expect(report.skipped.allSatisfy { $0.message.contains("skipped (--keep-going)") })
        // The rest is built: both good articles, and 火星车 without its skipped parent.
        #expect(report.articles == 2)
        #expect(report.entities == 3)
        #expect(report.warnings.contains { $0.location == "entities.yml:15:11" && $0.message.contains("without its parent 'mars'") })
        #expect(site.dir.read("public/articles/good/index.html")?.contains("火星车") == true)
        #expect(site.dir.read("public/entities/rover/index.html") != nil)
        #expect(site.dir.read("public/entities/mars/index.html") == nil)
        #expect(site.dir.read("public/articles/bad-date/index.html") == nil)
    }

    @Test func templateErrorsStayFatal() throws {
        let site = try brokenSite()
        _ = try site.builder(keepGoing: true).build()
        let before = snapshot(site.output)
        try site.ownTemplates()
        let footer = site.templates.appendingPathComponent("footer.mustache")
        try ("{{/nowhere}}\n" + String(contentsOf: footer, encoding: .utf8)).write(to: footer, atomically: true, encoding: .utf8)
        do {
            _ = try site.builder(keepGoing: true).build()
            Issue.record("a template error was skipped")
        } catch {
            #expect(error.diagnostics.contains { $0.severity == .error && $0.file == "Templates/footer.mustache" && $0.line == 1 })
        }
        #expect(snapshot(site.output) == before)
    }

    @Test func aBrokenEntitiesFileStaysFatal() throws {
        let site = MiniSite()
        site.dir.write("content/entities.yml", "- id: a\n  name: [unclosed\n")
        do {
            _ = try site.builder(keepGoing: true).build()
            Issue.record("an unreadable entities.yml was skipped")
        } catch {
            #expect(error.diagnostics.first?.file == "entities.yml")
            #expect(error.diagnostics.first?.message.contains("YAML") == true)
        }
    }
}
