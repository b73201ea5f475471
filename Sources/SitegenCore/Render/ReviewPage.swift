/// `review/index.html`: for editors only (not linked, not in the sitemap or search). Per article,
/// which sentences became events (with the key overrides.yml uses) and which dated sentences were
/// skipped and why. A large site (more than `reviewRowLimit` rows) gets one review page per
/// article and a paged index of articles instead: at 10,000 articles the single page was 55 MB.
extension SiteRenderer {
    public static let reviewRowLimit = 2000
    public static let reviewArticlesPerPage = 500

    /// One file per article in one folder: a folder per article cost a `mkdir` each (10,000 at
    /// 10,000 articles, 17% of a one-article rebuild's CPU by perf, inode allocation included),
    /// and `review/articles/` keeps a slug such as `index` or `page` clear of the index pages.
    func reviewPath(_ slug: String) -> String { "review/articles/\(slug).html" }
    func reviewURL(_ slug: String) -> String { url(reviewPath(slug)) }
    func reviewIndexPath(_ page: Int) -> String { page == 1 ? "review/index.html" : "review/page/\(page)/index.html" }

    public func reviewPages(skipped: [SkippedStatement], unmatchedOverrides: [Diagnostic],
                            rowLimit: Int = reviewRowLimit, perPage: Int = reviewArticlesPerPage) -> [OutputFile] {
        reviewPages(skipped: skipped, unmatchedOverrides: unmatchedOverrides, rowLimit: rowLimit, perPage: perPage,
                    reuse: nil, reuseSeed: 0).files
    }

    /// The review pages, as `reviewPages(skipped:unmatchedOverrides:)`. With `reuse`, each
    /// article's own review page is keyed like the other per-article pages (`PageKeys.reviewPage`):
    /// kept when unchanged, else rendered and added to `reuse`; `files` then holds the other
    /// review pages and `count` counts all of them.
    public func reviewPages(skipped: [SkippedStatement], unmatchedOverrides: [Diagnostic],
                            rowLimit: Int = reviewRowLimit, perPage: Int = reviewArticlesPerPage,
                            reuse: PageReuse?, reuseSeed: UInt64) -> (files: [OutputFile], count: Int) {
        reviewPages(skipped: skipped, unmatchedOverrides: unmatchedOverrides, rowLimit: rowLimit, perPage: perPage,
                    reuse: reuse, keys: reuse.map { _ in PageKeys(self, seed: reuseSeed) })
    }

    /// The same with the page keys of the build (made once for the site's pages and these).
    func reviewPages(skipped: [SkippedStatement], unmatchedOverrides: [Diagnostic],
                     rowLimit: Int = reviewRowLimit, perPage: Int = reviewArticlesPerPage,
                     reuse: PageReuse?, keys: PageKeys?) -> (files: [OutputFile], count: Int) {
        let skippedByArticle = Dictionary(grouping: skipped, by: \.articleSlug)
        let unmatched = unmatchedOverrides.map { ["location": $0.location, "message": $0.message] }
        let rowCount = graph.events.reduce(0) { $0 + $1.sources.count } + skipped.count
        let title = "审阅：抽取结果"
        let description = "编辑审阅页：每篇文章中哪些句子成为事件，哪些带日期的句子被跳过"
        guard rowCount > rowLimit else {
            var ctx = page(title, path: "review/index.html", description: description)
            ctx["articles"] = articles.map { reviewSection($0, skipped: skippedByArticle[$0.meta.slug] ?? []) }
            ctx["unmatched"] = unmatched
            ctx["hasUnmatched"] = !unmatched.isEmpty
            return ([templates.file("review/index.html", "review", ctx)], 1)
        }
        var files: [OutputFile] = []
        // Articles with skipped sentences first (what an editor looks at), then newest first.
        let ordered = articles.enumerated().sorted { a, b in
            let sa = skippedByArticle[a.element.meta.slug]?.count ?? 0, sb = skippedByArticle[b.element.meta.slug]?.count ?? 0
            return sa != sb ? sa > sb : a.offset < b.offset
        }.map(\.element)
        let pageCount = (ordered.count + perPage - 1) / perPage
        for p in 1...max(1, pageCount) {
            let path = reviewIndexPath(p)
            var ctx = page(p == 1 ? title : "\(title)（第\(p)页）", path: path, description: description)
            let slice = ordered.dropFirst((p - 1) * perPage).prefix(perPage)
            ctx["articleTable"] = slice.map { a -> [String: Any] in
                ["title": a.meta.title, "path": a.source.path, "url": reviewURL(a.meta.slug),
                 "eventCount": eventIndicesByArticle[a.meta.slug]?.count ?? 0,
                 "skippedCount": skippedByArticle[a.meta.slug]?.count ?? 0]
            }
            ctx["paged"] = true
            ctx["pages"] = (1...max(1, pageCount)).map { ["number": $0, "url": url(reviewIndexPath($0)), "current": $0 == p] }
            if p == 1 {
                ctx["unmatched"] = unmatched
                ctx["hasUnmatched"] = !unmatched.isEmpty
            }
            files.append(templates.file(path, "review", ctx))
        }
        // One page per article, on all cores (10,000 of them at 10,000 articles).
        let perArticle = Parallel.map(articles.count) { k -> OutputFile? in
            let a = articles[k]
            let path = reviewPath(a.meta.slug)
            let skips = skippedByArticle[a.meta.slug] ?? []
            func render() -> OutputFile {
                var ctx = page("\(title)：\(a.meta.title)", path: path, description: description)
                ctx["articles"] = [reviewSection(a, skipped: skips)]
                ctx["backToIndex"] = url("review/index.html")
                return templates.file(path, "review", ctx)
            }
            guard let reuse, let keys else { return render() }
            let key = keys.reviewPage(a, skipped: skips)
            if !reuse.reuse(path, key: key) { reuse.add(render(), key: key) }
            return nil
        }
        let total = files.count + articles.count
        files += perArticle.compactMap { $0 }
        return (files, total)
    }

    /// One article's rows: its events' sentences in line order, and its skipped dated sentences.
    func reviewSection(_ a: ParsedArticle, skipped: [SkippedStatement]) -> [String: Any] {
        var rows: [(line: Int, row: [String: Any])] = []
        for i in eventIndicesByArticle[a.meta.slug] ?? [] {
            let e = graph.events[i]
            for s in e.sources where s.articleSlug == a.meta.slug {
                rows.append((s.line, ["line": s.line, "key": s.key, "date": dateText(e), "headline": e.headline,
                                      "entities": e.entities.compactMap { graph.entityByID[$0]?.name }.joined(separator: "、"),
                                      "quote": s.quote, "url": eventURL(e.id)]))
            }
        }
        rows.sort { $0.line < $1.line }
        let skips = skipped.map { s -> [String: Any] in
            clean(["line": s.line, "text": s.text, "date": s.dateText ?? "", "reason": s.reason.label, "reasonCode": s.reason.rawValue])
        }
        return ["title": a.meta.title, "path": a.source.path, "url": articleURL(a.meta.slug),
                "events": rows.map(\.row), "eventCount": rows.count, "skipped": skips, "skippedCount": skips.count,
                "hasSkipped": !skips.isEmpty]
    }
}
