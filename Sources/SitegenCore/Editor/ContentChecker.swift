import Foundation

/// `sitegen check`: validates content without writing the site — front matter, entities,
/// overrides, internal links, likely duplicate events, and names in quotes that look like
/// products but are missing from entities.yml. Every finding has a file and line.
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
        findings += checkQuotedNames(analysis.parsed, matcher: EntityMatcher(entities: content.entities), entities: content.entities)
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

    static let productMarkers = ["大模型", "模型", "GPT", "AI", "助手", "智能体", "App", "APP", "平台", "机器人", "引擎", "芯片"]

    /// 「…」 and “…” names that look like products (Latin letters or digits, or a product word)
    /// but are not in entities.yml.
    func checkQuotedNames(_ parsed: [ParsedArticle], matcher: EntityMatcher, entities: [Entity]) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var reported: Set<String> = []
        for p in parsed {
            for (offset, line) in p.source.body.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                for name in Self.quotedNames(String(line)) {
                    let scalars = Array(name.unicodeScalars)
                    guard scalars.count >= 2, scalars.count <= 16 else { continue }
                    // Slogans and phrases are not names.
                    if name.contains(where: { "，。、；：！？,;:!?".contains($0) }) { continue }
                    // 「AI」 alone is a generic word, not a product name.
                    let latinWords = name.split(whereSeparator: { !($0.isASCII && $0.isLetter) }).map { $0.uppercased() }
                    let hasLatin = latinWords.contains { $0 != "AI" }
                    let hasMarker = Self.productMarkers.contains { name.hasSuffix($0) } && scalars.count > 3
                    guard hasLatin || hasMarker else { continue }
                    // Known if an entity covers (nearly) the whole quoted name.
                    let covered = matcher.matches(in: scalars).reduce(0) { $0 + $1.range.count }
                    if Double(covered) >= Double(scalars.count) * 0.6 { continue }
                    guard reported.insert(name).inserted else { continue }
                    // A known entity inside the name (「豆包视觉大模型」 contains 豆包) is the best suggestion;
                    // otherwise the entity whose name reads most alike.
                    let contained = matcher.matches(in: scalars).first.flatMap { m in entities.first { $0.id == m.entityID } }
                    let suggestion = contained ?? entities.max { EventGraph.similarity($0.name, name) < EventGraph.similarity($1.name, name) }
                    var hint = "add it to entities.yml (kind: product) if it is a product or model"
                    if let s = suggestion, contained != nil || EventGraph.similarity(s.name, name) >= 0.4 {
                        hint = "did you mean '\(s.name)' (\(s.id))? add '\(name)' to its aliases, or add a new entity"
                    }
                    out.append(Diagnostic(.warning, file: p.source.path, line: p.source.bodyStartLine + offset,
                                          message: "「\(name)」 looks like a product name but is not in entities.yml", hint: hint))
                }
            }
        }
        return out
    }

    static func quotedNames(_ line: String) -> [String] {
        var out: [String] = []
        let pairs: [(Character, Character)] = [("「", "」"), ("“", "”"), ("『", "』")]
        for (open, close) in pairs {
            var rest = Substring(line)
            while let o = rest.firstIndex(of: open) {
                let after = rest[rest.index(after: o)...]
                guard let c = after.firstIndex(of: close) else { break }
                out.append(String(after[..<c]))
                rest = after[after.index(after: c)...]
            }
        }
        return out
    }
}
