/// `review/index.html`: for editors only (not linked, not in the sitemap or search). Per article,
/// which sentences became events (with the key overrides.yml uses) and which dated sentences were
/// skipped and why.
extension SiteRenderer {
    public func reviewPage(skipped: [SkippedStatement], unmatchedOverrides: [Diagnostic]) -> OutputFile {
        var ctx = page("审阅：抽取结果", path: "review/index.html", description: "编辑审阅页：每篇文章中哪些句子成为事件，哪些带日期的句子被跳过")
        let skippedByArticle = Dictionary(grouping: skipped, by: \.articleSlug)
        ctx["articles"] = articles.map { a -> [String: Any] in
            var rows: [[String: Any]] = []
            for e in graph.events {
                for s in e.sources where s.articleSlug == a.meta.slug {
                    rows.append(["line": s.line, "key": s.key, "date": dateText(e), "headline": e.headline,
                                 "entities": e.entities.compactMap { graph.entityByID[$0]?.name }.joined(separator: "、"),
                                 "quote": s.quote, "url": eventURL(e.id)])
                }
            }
            rows.sort { ($0["line"] as! Int) < ($1["line"] as! Int) }
            let skips = (skippedByArticle[a.meta.slug] ?? []).map { s -> [String: Any] in
                clean(["line": s.line, "text": s.text, "date": s.dateText ?? "", "reason": s.reason.label, "reasonCode": s.reason.rawValue])
            }
            return ["title": a.meta.title, "path": a.source.path, "url": articleURL(a.meta.slug),
                    "events": rows, "eventCount": rows.count, "skipped": skips, "skippedCount": skips.count,
                    "hasSkipped": !skips.isEmpty]
        }
        ctx["unmatched"] = unmatchedOverrides.map { ["location": $0.location, "message": $0.message] }
        ctx["hasUnmatched"] = !unmatchedOverrides.isEmpty
        return OutputFile(path: "review/index.html", text: templates.render("review", ctx))
    }
}
