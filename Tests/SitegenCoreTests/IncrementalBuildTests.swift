import Foundation
import Testing
@testable import SitegenCore

/// Incremental builds: the article cache and the in-place writer must never change what a build
/// produces — an incremental build gives exactly the bytes of a cold one.
@Suite(.serialized) struct IncrementalBuildTests {
    /// A copy of the real content/ in a temp folder, so edits stay local.
    func project() throws -> TempDir {
        let dir = TempDir()
        try FileManager.default.copyItem(at: Repo.content, to: dir.url.appendingPathComponent("content"))
        return dir
    }

    func builder(_ dir: TempDir, output: String = "public", cache: Bool = true) -> SiteBuilder {
        let content = dir.url.appendingPathComponent("content")
        return SiteBuilder(options: .init(content: content, templates: Repo.templates,
                                          output: dir.url.appendingPathComponent(output),
                                          cacheDirectory: cache ? ArticleCache.defaultDirectory(for: content) : nil))
    }

    func articleNames(_ dir: TempDir) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.url.appendingPathComponent("content/articles").path)
            .filter { $0.hasSuffix(".md") }.sorted()
    }

    func mtimes(_ dir: URL) -> [String: Date] {
        var out: [String: Date] = [:]
        for path in snapshot(dir).keys {
            let attrs = try? FileManager.default.attributesOfItem(atPath: dir.path + path)
            out[path] = attrs?[.modificationDate] as? Date
        }
        return out
    }

    @Test func secondBuildReusesEveryArticleAndEqualsAColdBuild() throws {
        let dir = try project()
        let n = try articleNames(dir).count
        let first = try builder(dir).build()
        #expect(first.cache == ArticleCache.Stats(hits: 0, misses: n))
        #expect(FileManager.default.fileExists(atPath: dir.url.appendingPathComponent(".sitegen-cache/articles").path))

        let second = try builder(dir).build()
        #expect(second.cache == ArticleCache.Stats(hits: n, misses: 0))
        #expect(second.write.written == 0 && second.write.deleted == 0)
        #expect(second.write.unchanged == second.write.files)

        let cold = try builder(dir, output: "cold", cache: false).build()
        #expect(cold.cache.hits == 0)
        #expect(snapshot(dir.url.appendingPathComponent("public")) == snapshot(dir.url.appendingPathComponent("cold")))
    }

    /// A build with nothing changed is skipped whole ("check" is its only stage) and leaves the
    /// output exactly as it was; any change of an input or of the output makes it build again.
    @Test func unchangedInputsAndOutputSkipTheBuildAndAnyChangeBuildsAgain() throws {
        let dir = try project()
        let public_ = dir.url.appendingPathComponent("public")
        let first = try builder(dir).build()
        #expect(first.timings.map(\.stage).contains("render"))
        let built = snapshot(public_)

        let noop = try builder(dir).build()
        #expect(noop.timings.map(\.stage) == ["check"])
        #expect(noop.events == first.events && noop.articles == first.articles && noop.files == first.files)
        #expect(noop.write.written == 0 && noop.write.deleted == 0)
        #expect(snapshot(public_) == built)

        // A page changed by hand in the output: rebuilt and put right.
        let home = public_.appendingPathComponent("index.html")
        try Data("tampered".utf8).write(to: home)
        let repaired = try builder(dir).build()
        #expect(repaired.timings.map(\.stage).contains("render"))
        #expect(snapshot(public_) == built)

        // A stray file in the output: rebuilt, and the stray file is gone.
        try Data("x".utf8).write(to: public_.appendingPathComponent("stray.html"))
        _ = try builder(dir).build()
        #expect(snapshot(public_) == built)
        #expect(try builder(dir).build().timings.map(\.stage) == ["check"])

        // A template edit: rebuilt with the new template.
        let templates = dir.url.appendingPathComponent("Templates")
        try FileManager.default.copyItem(at: Repo.templates, to: templates)
        func withTemplates() -> SiteBuilder {
            let content = dir.url.appendingPathComponent("content")
            return SiteBuilder(options: .init(content: content, templates: templates, output: public_,
                                              cacheDirectory: ArticleCache.defaultDirectory(for: content)))
        }
        _ = try withTemplates().build()
        #expect(try withTemplates().build().timings.map(\.stage) == ["check"])
        let footer = templates.appendingPathComponent("footer.mustache")
        try (String(contentsOf: footer, encoding: .utf8) + "<!-- edited footer -->\n").write(to: footer, atomically: true, encoding: .utf8)
        let afterEdit = try withTemplates().build()
        #expect(afterEdit.timings.map(\.stage).contains("render"))
        #expect(String(decoding: FileManager.default.contents(atPath: home.path) ?? Data(), as: UTF8.self).contains("edited footer"))

        // A content edit: rebuilt with the new text.
        let article = dir.url.appendingPathComponent("content/articles").appendingPathComponent(try articleNames(dir)[0])
        try (String(contentsOf: article, encoding: .utf8) + "\n2024年7月1日，百度宣布推出测试用新功能。\n").write(to: article, atomically: true, encoding: .utf8)
        let afterContent = try withTemplates().build()
        #expect(afterContent.timings.map(\.stage).contains("render"))
        #expect(afterContent.events >= first.events)
    }

    /// A build with warnings is never skipped: the next build must print them again.
    @Test func buildsWithWarningsAreNotSkipped() throws {
        let dir = try project()
        let article = dir.url.appendingPathComponent("content/articles/zz-warning.md")
        // A valid article with a problem the build survives: an unknown tag type is not needed,
        // an override that matches nothing is a warning.
        try Data("---\ntitle: 警告测试\ndate: 2024-12-31\n---\n2024年5月15日，百度发布新模型。\n".utf8).write(to: article)
        try Data("- match: zz-warning:doesnotexist\n  suppress: true\n".utf8).write(to: dir.url.appendingPathComponent("content/overrides.yml"))
        let first = try builder(dir).build()
        #expect(!first.warnings.isEmpty)
        let second = try builder(dir).build()
        #expect(second.timings.map(\.stage).contains("render"))
        #expect(!second.warnings.isEmpty)
    }

    @Test func oneEditedArticleIsTheOnlyOneParsedAndUnchangedPagesAreNotRewritten() throws {
        let dir = try project()
        let names = try articleNames(dir)
        _ = try builder(dir).build()
        let public_ = dir.url.appendingPathComponent("public")
        let before = snapshot(public_)
        let beforeTimes = mtimes(public_)
        Thread.sleep(forTimeInterval: 0.02)  // so a rewrite would show in the modification time

        let file = "content/articles/\(names[0])"
        dir.write(file, dir.read(file)! + "\n2024年6月18日，豆包大模型宣布推出增量构建测试功能。\n")
        let report = try builder(dir).build()
        #expect(report.cache == ArticleCache.Stats(hits: names.count - 1, misses: 1))
        #expect(report.write.written > 0)
        #expect(report.write.unchanged > 0)

        let after = snapshot(public_)
        let afterTimes = mtimes(public_)
        for (path, bytes) in after where before[path] == bytes {
            #expect(afterTimes[path] == beforeTimes[path], "\(path) was rewritten with the same bytes")
        }
        #expect(after.values.contains { String(decoding: $0, as: UTF8.self).contains("增量构建测试功能") })

        _ = try builder(dir, output: "cold", cache: false).build()
        #expect(after == snapshot(dir.url.appendingPathComponent("cold")))
    }

    @Test func deletedArticleDisappearsAndItsCacheEntryIsPruned() throws {
        let dir = try project()
        let names = try articleNames(dir)
        _ = try builder(dir).build()
        try FileManager.default.removeItem(at: dir.url.appendingPathComponent("content/articles/\(names[1])"))
        let report = try builder(dir).build()
        #expect(report.cache == ArticleCache.Stats(hits: names.count - 1, misses: 0))
        #expect(report.write.deleted > 0)
        let cached = try FileManager.default.contentsOfDirectory(atPath: dir.url.appendingPathComponent(".sitegen-cache/articles").path)
        #expect(cached.count == names.count - 1)
        _ = try builder(dir, output: "cold", cache: false).build()
        #expect(snapshot(dir.url.appendingPathComponent("public")) == snapshot(dir.url.appendingPathComponent("cold")))
    }

    @Test func changedEntitiesInvalidateEveryArticle() throws {
        let dir = try project()
        let n = try articleNames(dir).count
        _ = try builder(dir).build()
        dir.write("content/entities.yml", dir.read("content/entities.yml")! + "\n- id: test-entity-xyz\n  name: 测试实体某某\n  kind: company\n")
        let report = try builder(dir).build()
        #expect(report.cache == ArticleCache.Stats(hits: 0, misses: n))
    }

    @Test func corruptOrForeignCacheFilesAreMissesNotErrors() throws {
        let dir = try project()
        let n = try articleNames(dir).count
        _ = try builder(dir).build()
        let cacheDir = dir.url.appendingPathComponent(".sitegen-cache/articles")
        let files = try FileManager.default.contentsOfDirectory(atPath: cacheDir.path).sorted()
        // One truncated, one garbage, the rest left alone.
        let first = cacheDir.appendingPathComponent(files[0])
        let data = try Data(contentsOf: first)
        try data.prefix(data.count / 2).write(to: first)
        try Data("not a cache file".utf8).write(to: cacheDir.appendingPathComponent(files[1]))
        // The build record, the output manifest and the page keys: all garbage.
        let outputs = dir.url.appendingPathComponent(".sitegen-cache/outputs")
        let records = try FileManager.default.contentsOfDirectory(atPath: outputs.path)
        #expect(Set(records.map { $0.split(separator: ".").last! }) == ["build", "manifest", "keys"])
        for name in records { try Data("garbage".utf8).write(to: outputs.appendingPathComponent(name)) }
        let report = try builder(dir).build()
        #expect(report.cache == ArticleCache.Stats(hits: n - 2, misses: 2))
        _ = try builder(dir, output: "cold", cache: false).build()
        #expect(snapshot(dir.url.appendingPathComponent("public")) == snapshot(dir.url.appendingPathComponent("cold")))
    }

    /// The cache must carry every field of what it stores; a field added to the model and not to
    /// the cache format fails here.
    @Test func cacheFormatRoundTripsEveryArticleOfTheRealContent() throws {
        var timings: [(String, Double)] = []
        let result = try SiteBuilder(options: .init(content: Repo.content, templates: Repo.templates,
                                                    output: URL(fileURLWithPath: "/nonexistent"))).run(timings: &timings)
        for (parsed, events) in zip(result.parsed, result.extracted) {
            let entry = ArticleCache.Entry(key: 42, html: parsed.html, blocks: parsed.blocks, sectionTitles: parsed.sectionTitles, events: events)
            var w = CacheWriter()
            ArticleCache.encode(entry, into: &w)
            var r = CacheReader(bytes: w.bytes)
            let back = try ArticleCache.decode(&r, expecting: 42)
            #expect(back.html == parsed.html)
            #expect(back.blocks == parsed.blocks)
            #expect(back.sectionTitles == parsed.sectionTitles)
            #expect(back.events == events)
            var wrongKey = CacheReader(bytes: w.bytes)
            #expect(throws: CacheReader.Invalid.self) { try ArticleCache.decode(&wrongKey, expecting: 43) }
            // Without the text: everything else as stored, and a cut-off entry still refused.
            var r2 = CacheReader(bytes: w.bytes)
            let lean = try ArticleCache.decode(&r2, expecting: 42, withText: false)
            #expect(lean.html == parsed.html)
            #expect(lean.blocks == parsed.blocks.map { var b = $0; b.text = ""; return b })
            #expect(lean.sectionTitles.isEmpty)
            #expect(lean.events == events)
            for cut in [w.bytes.count / 3, w.bytes.count - 5] {
                var short = CacheReader(bytes: Array(w.bytes.prefix(cut)))
                #expect(throws: CacheReader.Invalid.self) { try ArticleCache.decode(&short, expecting: 42, withText: false) }
            }
        }
    }

    @Test func leftoversAreRemovedAndASymlinkedFolderIsReplacedNotWrittenThrough() throws {
        let dir = try project()
        _ = try builder(dir).build()
        let out = dir.url.appendingPathComponent("public")
        dir.write("public/.index.html.sitegen-new", "half-written leftover of a crashed build")
        dir.write("public/events/zzz-stale.html", "stale")
        let inPlace = try builder(dir).build()
        #expect(!inPlace.write.replacedWhole)
        #expect(inPlace.write.deleted == 2)
        #expect(dir.read("public/.index.html.sitegen-new") == nil)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("events/zzz-stale.html").path))

        dir.write("outside/keep.txt", "keep")
        let events = out.appendingPathComponent("entities")
        try FileManager.default.removeItem(at: events)
        try FileManager.default.createSymbolicLink(at: events, withDestinationURL: dir.url.appendingPathComponent("outside"))

        let whole = try builder(dir).build()
        #expect(whole.write.replacedWhole)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.appendingPathComponent("outside").path) == ["keep.txt"])
        let attrs = try FileManager.default.attributesOfItem(atPath: events.path)
        #expect(attrs[.type] as? FileAttributeType == .typeDirectory)
        _ = try builder(dir, output: "cold", cache: false).build()
        #expect(snapshot(out) == snapshot(dir.url.appendingPathComponent("cold")))
    }

    /// The previous site is kept beside the output as the spare copy the next build starts
    /// from. Whatever the spare holds (stale pages, a file where a folder goes, a folder where a
    /// file goes, a symlink), the output equals a cold build and nothing is written through.
    @Test func theSpareCopyIsReusedAndNeverTrusted() throws {
        let dir = try project()
        let out = dir.url.appendingPathComponent("public"), spare = dir.url.appendingPathComponent(".public.spare")
        _ = try builder(dir).build()
        // A first build has no previous site: its spare is a twin of the new one, every file a
        // hard link to the output's own, and no twin folder is left beside them.
        let first = snapshot(out)
        let twin = snapshot(spare)
        #expect(twin.keys.sorted() == first.keys.sorted())
        let unlinked = first.keys.filter { OutputWriter.stat(spare.path + $0)?.inode != OutputWriter.stat(out.path + $0)?.inode }
        #expect(unlinked.isEmpty, "twin files that are not the output's own: \(unlinked.sorted().prefix(3))")
        let beside = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.hasPrefix(".public.") }
        #expect(beside == [".public.spare"])
        let article = "content/articles/llm-market-report-guangxi.md"
        dir.write(article, dir.read(article)! + "\n\n业内人士认为，这一趋势还将持续。\n")
        let second = try builder(dir).build()
        #expect(second.write.written > 0)
        // The rebuild started from the twin: the site it replaced is intact, byte for byte, and the
        // output equals a cold build.
        #expect(snapshot(spare) == first)
        _ = try builder(dir, output: "cold-first", cache: false).build()
        #expect(snapshot(out) == snapshot(dir.url.appendingPathComponent("cold-first")))
        // Unchanged pages of the spare are the output's own files (hard links), not copies.
        let home = try #require(OutputWriter.stat(out.appendingPathComponent("index.html").path))
        #expect(OutputWriter.stat(spare.appendingPathComponent("index.html").path)?.inode == home.inode)

        // Tamper with the spare every way it can differ from what the next site needs.
        dir.write(".public.spare/events/zzz-stale.html", "stale")
        dir.write(".public.spare/index.html.tmp", "stale")
        try FileManager.default.removeItem(at: spare.appendingPathComponent("entities"))
        dir.write(".public.spare/entities", "a file where a folder goes")
        try FileManager.default.removeItem(at: spare.appendingPathComponent("404.html"))
        dir.write(".public.spare/404.html/x", "a folder where a file goes")
        // Another article this time: its page is unchanged since the last build, so the spare
        // holds it as a hard link to the live file, which must not be written through.
        let before = snapshot(out)
        let other = "content/articles/ai-llm-industry-2024-review.md"
        dir.write(other, dir.read(other)! + "\n\n另有分析认为，竞争仍将加剧。\n")
        let third = try builder(dir).build()
        #expect(third.write.written > 0)
        _ = try builder(dir, output: "cold", cache: false).build()
        #expect(snapshot(out) == snapshot(dir.url.appendingPathComponent("cold")))
        let previous = snapshot(spare)
        #expect(previous.keys.sorted() == before.keys.sorted())
        let touched = before.keys.filter { previous[$0] != before[$0] }.sorted()
        #expect(touched.isEmpty, "the previous site changed before it was swapped out: \(touched)")

        // A symlink in the spare's place is removed, never followed.
        dir.write("outside/keep.txt", "keep")
        try FileManager.default.removeItem(at: spare)
        try FileManager.default.createSymbolicLink(at: spare, withDestinationURL: dir.url.appendingPathComponent("outside"))
        dir.write(article, dir.read(article)! + "\n\n第三段补充。\n")
        _ = try builder(dir).build()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.appendingPathComponent("outside").path) == ["keep.txt"])
        _ = try builder(dir, output: "cold2", cache: false).build()
        #expect(snapshot(out) == snapshot(dir.url.appendingPathComponent("cold2")))
    }

    /// The stage opens beside load/parse/graph, so a build that fails there has already taken the
    /// spare copy as its staging folder: it must give the copy back untouched (same files, same
    /// inodes), leave no staging folder behind and keep the site; the next build then still
    /// starts from the copy and equals a cold build.
    @Test func aBuildFailingBeforeRenderGivesTheSpareCopyBack() throws {
        let dir = try project()
        try FileManager.default.copyItem(at: Repo.templates, to: dir.url.appendingPathComponent("Templates"))
        let content = dir.url.appendingPathComponent("content")
        func build(output: String = "public", cache: Bool = true) throws(BuildFailure) -> SiteBuilder.Report {
            try SiteBuilder(options: .init(content: content, templates: dir.url.appendingPathComponent("Templates"),
                                           output: dir.url.appendingPathComponent(output),
                                           cacheDirectory: cache ? ArticleCache.defaultDirectory(for: content) : nil)).build()
        }
        let out = dir.url.appendingPathComponent("public"), spare = dir.url.appendingPathComponent(".public.spare")
        let article = "content/articles/llm-market-report-guangxi.md"
        _ = try build()
        dir.write(article, dir.read(article)! + "\n\n业内人士认为，这一趋势还将持续。\n")
        _ = try build()
        func inodes(_ root: URL) -> [String: UInt64] {
            snapshot(root).keys.reduce(into: [:]) { $0[$1] = OutputWriter.stat(root.path + $1)?.inode }
        }
        let spareBefore = inodes(spare), siteBefore = snapshot(out)
        #expect(!spareBefore.isEmpty)

        let template = "Templates/index.mustache"
        let good = try #require(dir.read(template))
        dir.write(template, good + "\n{{#unclosed}}\n")
        dir.write(article, dir.read(article)! + "\n\n第三段补充。\n")
        #expect(throws: BuildFailure.self) { try build() }
        let spareAfter = inodes(spare)
        let changed = spareBefore.keys.filter { spareAfter[$0] != spareBefore[$0] }.sorted()
        #expect(spareAfter.count == spareBefore.count && changed.isEmpty,
                "the failed build changed the spare copy: \(spareAfter.count) of \(spareBefore.count) files, first changed \(changed.prefix(3))")
        #expect(snapshot(out) == siteBefore)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.url.path)
        #expect(names.filter { $0.hasPrefix(".public.") && $0 != ".public.spare" }.isEmpty, "staging left behind: \(names)")

        dir.write(template, good)
        let next = try build()
        #expect(next.write.written > 0)
        _ = try build(output: "cold", cache: false)
        #expect(snapshot(out) == snapshot(dir.url.appendingPathComponent("cold")))
    }

    /// A first build that fails leaves nothing beside the output: no staging folder, no twin.
    @Test func aFailingFirstBuildLeavesNoTwinBehind() throws {
        let dir = try project()
        try FileManager.default.copyItem(at: Repo.templates, to: dir.url.appendingPathComponent("Templates"))
        let content = dir.url.appendingPathComponent("content")
        let template = "Templates/index.mustache"
        dir.write(template, try #require(dir.read(template)) + "\n{{#unclosed}}\n")
        #expect(throws: BuildFailure.self) {
            try SiteBuilder(options: .init(content: content, templates: dir.url.appendingPathComponent("Templates"),
                                           output: dir.url.appendingPathComponent("public"),
                                           cacheDirectory: ArticleCache.defaultDirectory(for: content))).build()
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.url.path)
        #expect(names.filter { $0.hasPrefix(".public") || $0 == "public" }.isEmpty, "left behind: \(names.sorted())")
    }

    @Test func digestTellsContentsApart() {
        var seen: Set<UInt64> = []
        for n in 0..<300 {
            let bytes = [UInt8]((0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            #expect(seen.insert(ContentDigest.of(bytes)).inserted)
        }
        #expect(ContentDigest.of(Array("abcdefgh1".utf8)) != ContentDigest.of(Array("abcdefgh2".utf8)))
        #expect(ContentDigest.of(Array("a".utf8)) != ContentDigest.of(Array("\0a".utf8)))
    }
}

/// Event, article and entity pages whose inputs did not change are kept from the last build without
/// rendering, and so are the whole-site pages and data files as one group (`PageKeys`); whatever is
/// edited, the result must be the bytes of a cold build.
@Suite(.serialized) struct PageReuseTests {
    let base = IncrementalBuildTests()

    func edit(_ dir: TempDir, _ file: String, _ change: (String) -> String) throws {
        let url = dir.url.appendingPathComponent("content/" + file)
        let text = try String(contentsOf: url, encoding: .utf8)
        let changed = change(text)
        #expect(changed != text, "the edit of \(file) changed nothing")
        try changed.write(to: url, atomically: true, encoding: .utf8)
    }

    func expectSameAsCold(_ dir: TempDir, _ label: String) throws {
        let cold = dir.url.appendingPathComponent("cold-\(label)")
        _ = try base.builder(dir, output: "cold-\(label)", cache: false).build()
        let a = snapshot(dir.url.appendingPathComponent("public")), b = snapshot(cold)
        #expect(a.keys.sorted() == b.keys.sorted(), "\(label): different files")
        let differing = a.keys.filter { a[$0] != b[$0] }.sorted()
        #expect(differing.isEmpty, "\(label): stale pages \(differing.prefix(5))")
    }

    @Test func anEditRendersOnlyWhatItTouchesAndEqualsAColdBuild() throws {
        let dir = try base.project()
        let first = try base.builder(dir).build()
        #expect(first.write.reused == 0)
        let events = first.events

        // A headline changes: its own page and the pages listing it as related must change.
        try edit(dir, "articles/ai-llm-industry-2024-review.md") {
            $0.replacingOccurrences(of: "5月15日，字节跳动旗下AI大模型豆包宣布", with: "5月15日，字节跳动旗下AI大模型豆包正式宣布")
        }
        let edited = try base.builder(dir).build()
        // Some pages kept, and not all: the edited article, its events and their neighbours are rendered.
        #expect(edited.write.reused > events / 2 && edited.write.reused < edited.files, "reused \(edited.write.reused) of \(edited.files)")
        try expectSameAsCold(dir, "headline")

        // Text that is no event and no metadata: only that article's page is rendered; the
        // whole-site pages and data files (home, indexes, search, feeds, exports) are kept as a group.
        try edit(dir, "articles/llm-market-report-guangxi.md") { $0 + "\n\n业内人士认为，这一趋势还将持续。\n" }
        let bodyOnly = try base.builder(dir).build()
        #expect(bodyOnly.events == events)
        let review = dir.url.appendingPathComponent("public/review").path
        let reviewPages = try FileManager.default.subpathsOfDirectory(atPath: review).filter { $0.hasSuffix(".html") }.count
        #expect(reviewPages > 0)
        // The search index holds the text too: its files that changed are rendered as well.
        let search = dir.url.appendingPathComponent("public/pagefind").path
        let searchFiles = ((try? FileManager.default.subpathsOfDirectory(atPath: search)) ?? []).filter { $0.contains(".") }.count
        #expect(bodyOnly.write.reused < bodyOnly.files - reviewPages - 1 || searchFiles == 0)
        #expect(bodyOnly.write.reused >= bodyOnly.files - reviewPages - 1 - searchFiles,
                "reused \(bodyOnly.write.reused) of \(bodyOnly.files)")
        try expectSameAsCold(dir, "body")

        // A new event inserted early in the timeline shifts every later index.
        // (In a year the site already has: a new year changes every page's navigation.)
        try edit(dir, "articles/llm-market-report-guangxi.md") { $0 + "\n\n2023年3月1日，字节跳动宣布豆包开放测试。\n" }
        let inserted = try base.builder(dir).build()
        #expect(inserted.events == events + 1)
        #expect(inserted.write.reused > 0)
        try expectSameAsCold(dir, "inserted")

        // An article's title is shown on the pages of the events it reports, and on the pages of
        // other articles reporting the same event (GPT-4, 2023-03, is in two).
        try edit(dir, "articles/ai-llm-multi-model-era-commercialization.md") { $0.replacingOccurrences(of: "\ntitle: \"", with: "\ntitle: \"修订：") }
        _ = try base.builder(dir).build()
        try expectSameAsCold(dir, "title")

        // Undoing both edits must not bring back pages of the edited state.
        try edit(dir, "articles/llm-market-report-guangxi.md") {
            $0.replacingOccurrences(of: "\n\n2023年3月1日，字节跳动宣布豆包开放测试。\n", with: "")
                .replacingOccurrences(of: "\n\n业内人士认为，这一趋势还将持续。\n", with: "")
        }
        try edit(dir, "articles/ai-llm-multi-model-era-commercialization.md") { $0.replacingOccurrences(of: "\ntitle: \"修订：", with: "\ntitle: \"") }
        try edit(dir, "articles/ai-llm-industry-2024-review.md") {
            $0.replacingOccurrences(of: "豆包正式宣布", with: "豆包宣布")
        }
        _ = try base.builder(dir).build()
        try expectSameAsCold(dir, "reverted")
    }

    @Test func aSharedInputRendersEveryPageAgain() throws {
        let dir = try base.project()
        _ = try base.builder(dir).build()
        // An entity's display name appears on many pages: nothing may be kept.
        try edit(dir, "entities.yml") { $0.replacingOccurrences(of: "  name: 豆包\n", with: "  name: 豆包AI\n") }
        let renamed = try base.builder(dir).build()
        #expect(renamed.write.reused == 0)
        try expectSameAsCold(dir, "entity")
    }

    /// `PageKeys.eventDigest` must read every stored field of an event; a new field fails here
    /// until the digest covers it too.
    @Test func theEventDigestCoversEveryField() {
        let e = TimelineEvent(id: "e1", date: TemporalValue(year: 2024, unit: .year), mod: nil, end: nil, endMod: nil, headline: "h",
                              entities: [], impliedEntities: [], kind: nil, isForecast: false, isFollowUp: false, sources: [])
        #expect(Mirror(reflecting: e).children.count == PageKeys.eventFieldsCovered)
        var other = e
        other.isFollowUp = true
        #expect(PageKeys.eventDigest(other) != PageKeys.eventDigest(e))
        other = e
        other.endMod = .end
        #expect(PageKeys.eventDigest(other) != PageKeys.eventDigest(e))
    }

    @Test func theArticleAndSkippedDigestsCoverEveryField() {
        let m = ArticleMeta(slug: "a", title: "t", date: CivilDate(year: 2024, month: 5, day: 15))
        #expect(Mirror(reflecting: m).children.count == PageKeys.articleFieldsCovered)
        let changes: [(inout ArticleMeta) -> Void] = [
            { $0.slug = "b" }, { $0.title = "u" }, { $0.date.day = 16 }, { $0.source = "s" }, { $0.sourceURL = "https://x/" },
            { $0.authors = ["x"] }, { $0.summary = "" }, { $0.tags = ["t"] },
        ]
        for (k, change) in changes.enumerated() {
            var other = m
            change(&other)
            #expect(PageKeys.articleDigest(other) != PageKeys.articleDigest(m), "change \(k)")
        }
        // Absent and empty differ; a field's text does not run into the next one.
        var a = m, b = m
        a.authors = ["x", "y"]; a.tags = []
        b.authors = ["x"]; b.tags = ["y"]
        #expect(PageKeys.articleDigest(a) != PageKeys.articleDigest(b))

        let s = SkippedStatement(articleSlug: "a", line: 3, blockIndex: 1, text: "t", dateText: nil, reason: .noEntity)
        #expect(Mirror(reflecting: s).children.count == PageKeys.skippedFieldsCovered)
        let skippedChanges: [(inout SkippedStatement) -> Void] = [
            { $0.articleSlug = "b" }, { $0.line = 4 }, { $0.blockIndex = 2 }, { $0.text = "u" }, { $0.dateText = "" }, { $0.reason = .question },
        ]
        for (k, change) in skippedChanges.enumerated() {
            var other = s
            change(&other)
            #expect(PageKeys.skippedDigest(other) != PageKeys.skippedDigest(s), "change \(k)")
        }
    }
}
