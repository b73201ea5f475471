import Foundation

/// `sitegen check`: validates content without writing the site — front matter, entities,
/// overrides, internal links, likely duplicate events, and actors the text names that are missing
/// from entities.yml (ranked by how often they act). Every finding has a file and line.
public struct ContentChecker {
    public var contentDirectory: URL

    public init(contentDirectory: URL) {
        self.contentDirectory = contentDirectory
    }

    public struct Report: Sendable {
        public var findings: [Diagnostic]
        public var articles: Int
        public var events: Int
        public var errorCount: Int { findings.filter { $0.severity == .error }.count }
    }

    /// The stages a check shares with a build, up to the graph.
    public struct Analysis: Sendable {
        public var content: SiteContent
        public var parsed: [ParsedArticle]
        public var extracted: [ExtractedEvent]
        public var skipped: [SkippedStatement]
        public var applied: OverrideApplier.Result
        public var graph: EventGraph
    }

    public static func analyze(_ content: SiteContent) -> Analysis {
        let parser = MarkdownParser()
        let parsed = content.articles.map(parser.parse)
        let extractor = EventExtractor(entities: content.entities)
        var extracted: [ExtractedEvent] = []
        var skipped: [SkippedStatement] = []
        for p in parsed {
            let r = extractor.extractWithTrace(p)
            extracted += r.events
            skipped += r.skipped
        }
        let applied = OverrideApplier(overrides: content.overrides)
            .apply(extracted, articleSlugs: Set(parsed.map(\.meta.slug)))
        let graph = EventGraph(extracted: applied.events, entities: content.entities,
                               articleDates: Dictionary(content.articles.map { ($0.meta.slug, $0.meta.date) }, uniquingKeysWith: { a, _ in a }),
                               forcedMerges: applied.merges)
        return Analysis(content: content, parsed: parsed, extracted: extracted, skipped: skipped, applied: applied, graph: graph)
    }

    public func run() -> Report {
        let content: SiteContent
        do {
            content = try ContentLoader(contentDirectory: contentDirectory).load()
        } catch {
            return Report(findings: error.diagnostics, articles: 0, events: 0)
        }
        let analysis = Self.analyze(content)
        var findings = content.warnings + analysis.applied.unmatched
        findings += checkLinks(analysis.parsed, slugs: Set(content.articles.map(\.meta.slug)), entityIDs: Set(content.entities.map(\.id)))
        findings += checkDuplicates(analysis.graph, articles: content.articles)
        findings += checkSuggestedEntities(analysis)
        return Report(findings: findings, articles: content.articles.count, events: analysis.graph.events.count)
    }

    /// Markdown links that point inside the site must resolve: another article (`other.md`,
    /// `/articles/slug/`), an entity page, or a generated section.
    func checkLinks(_ parsed: [ParsedArticle], slugs: Set<String>, entityIDs: Set<String>) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for p in parsed {
            for (offset, line) in p.source.body.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                var rest = Substring(line)
                while let open = rest.range(of: "](") {
                    let after = rest[open.upperBound...]
                    guard let close = after.firstIndex(of: ")") else { break }
                    let target = after[..<close].split(separator: " ").first.map(String.init) ?? ""
                    rest = after[after.index(after: close)...]
                    if target.isEmpty || target.hasPrefix("http://") || target.hasPrefix("https://") || target.hasPrefix("mailto:") || target.hasPrefix("#") { continue }
                    if let problem = Self.internalLinkProblem(target, slugs: slugs, entityIDs: entityIDs) {
                        out.append(Diagnostic(file: p.source.path, line: p.source.bodyStartLine + offset,
                                              column: line.distance(from: line.startIndex, to: open.lowerBound) + 1,
                                              message: "broken internal link '\(target)': \(problem)", excerpt: String(line),
                                              hint: "link to another article as `slug.md` or `/articles/slug/`, to an entity as `/entities/id/`"))
                    }
                }
            }
        }
        return out
    }

    static func internalLinkProblem(_ target: String, slugs: Set<String>, entityIDs: Set<String>) -> String? {
        let path = String(target.split(separator: "#", maxSplits: 1).first ?? "")
        if path.hasSuffix(".md") {
            let slug = SafeName.slug(((path as NSString).lastPathComponent as NSString).deletingPathExtension)
            return slugs.contains(slug) ? nil : "no article '\(slug)'"
        }
        let parts = path.split(separator: "/").map(String.init)
        guard let first = parts.first else { return nil }
        switch first {
        case "articles": return parts.count < 2 || slugs.contains(parts[1]) ? nil : "no article '\(parts[1])'"
        case "entities": return parts.count < 2 || entityIDs.contains(parts[1]) ? nil : "no entity '\(parts[1])'"
        case "years", "events", "kinds", "entity-kinds", "explore", "data", "assets": return nil
        default: return "not a page sitegen writes"
        }
    }

    /// Events of the same date and main entity that were not merged but read alike.
    func checkDuplicates(_ graph: EventGraph, articles: [ArticleSource]) -> [Diagnostic] {
        let paths = Dictionary(articles.map { ($0.meta.slug, $0.path) }, uniquingKeysWith: { a, _ in a })
        var byKey: [String: [Int]] = [:]
        for (i, e) in graph.events.enumerated() {
            guard let main = e.entities.first else { continue }
            byKey[e.date.string + "|" + main, default: []].append(i)
        }
        var out: [Diagnostic] = []
        for (_, group) in byKey.sorted(by: { $0.key < $1.key }) where group.count > 1 {
            for a in 0..<group.count {
                for b in (a + 1)..<group.count {
                    let x = graph.events[group[a]], y = graph.events[group[b]]
                    guard let sx = x.sources.first, let sy = y.sources.first else { continue }
                    let sim = EventGraph.similarity(sx.quote + x.headline, sy.quote + y.headline)
                    guard sim >= 0.5 else { continue }
                    out.append(Diagnostic(.warning, file: paths[sy.articleSlug] ?? sy.articleSlug, line: sy.line,
                                          message: "possible duplicate of the event on \(paths[sx.articleSlug] ?? sx.articleSlug):\(sx.line) (\(x.date.string), \(x.headline))",
                                          hint: "if they are one happening, add `- merge: [\(sx.key), \(sy.key)]` to overrides.yml"))
                }
            }
        }
        return out
    }

    /// Actors the extractor found in the text but the catalogue lacks (provisional entities), ranked
    /// by how many events they act in; each with the file and line where it first acts, and what to add.
    func checkSuggestedEntities(_ analysis: Analysis) -> [Diagnostic] {
        let paths = Dictionary(analysis.content.articles.map { ($0.meta.slug, $0.path) }, uniquingKeysWith: { a, _ in a })
        var counts: [String: Int] = [:]
        var first: [String: (entity: Entity, slug: String, line: Int)] = [:]
        for e in analysis.extracted {
            for p in e.provisionalEntities where e.entities.contains(p.id) {
                counts[p.id, default: 0] += 1
                if first[p.id] == nil { first[p.id] = (p, e.source.articleSlug, e.source.line) }
            }
        }
        let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        return ranked.compactMap { id, n in
            guard let f = first[id] else { return nil }
            let kind = f.entity.kind.rawValue
            return Diagnostic(.warning, file: paths[f.slug] ?? f.slug, line: f.line,
                              message: "suggested entity 「\(f.entity.name)」 (\(kind)) acts in \(n) event\(n == 1 ? "" : "s") "
                                + "but is not in entities.yml; its events link to a provisional entity",
                              hint: "add `- id: …` with name: \"\(f.entity.name)\" and kind: \(kind) to entities.yml "
                                + "(or add the name to an existing entity's aliases)")
        }
    }
}
