import Foundation

/// The whole pipeline, top to bottom: load → parse → extract → graph → render → write.
/// Each stage is a plain function of the previous stage's values; this type only sequences them
/// and times each step.
public struct SiteBuilder {
    public struct Options: Sendable {
        public var content: URL
        public var templates: URL
        public var output: URL
        public var baseURL: String?

        public init(content: URL, templates: URL, output: URL, baseURL: String? = nil) {
            self.content = content
            self.templates = templates
            self.output = output
            self.baseURL = baseURL
        }
    }

    public struct Report: Sendable {
        public var articles: Int
        public var entities: Int
        public var events: Int
        public var extractedPerArticle: [(slug: String, count: Int)]
        public var files: Int
        public var timings: [(stage: String, seconds: Double)]
        public var warnings: [Diagnostic]
    }

    /// Everything a build computes before writing, for tests and other commands.
    public struct Result: Sendable {
        public var content: SiteContent
        public var parsed: [ParsedArticle]
        public var extracted: [[ExtractedEvent]]
        public var graph: EventGraph
        public var files: [OutputFile]
    }

    public var options: Options
    public var log: @Sendable (String) -> Void

    public init(options: Options, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.options = options
        self.log = log
    }

    /// Runs every stage but the write.
    public func run(timings: inout [(String, Double)]) throws(BuildFailure) -> Result {
        func timed<T>(_ name: String, _ body: () throws(BuildFailure) -> T) throws(BuildFailure) -> T {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let v = try body()
            timings.append((name, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9))
            return v
        }
        var content = try timed("load") { () throws(BuildFailure) in try ContentLoader(contentDirectory: options.content).load() }
        if let base = options.baseURL {
            guard base.hasPrefix("http://") || base.hasPrefix("https://") || base.hasPrefix("/") else {
                throw BuildFailure([Diagnostic(file: "--base-url", message: "'\(base)' is not an http(s) address or a path starting with /")])
            }
            content.config.baseURL = base.hasSuffix("/") ? base : base + "/"
        }
        let templates = try timed("templates") { () throws(BuildFailure) in try TemplateSet(directory: options.templates) }
        let parser = MarkdownParser()
        let parsed = try timed("parse") { () throws(BuildFailure) in content.articles.map(parser.parse) }
        let extractor = EventExtractor(entities: content.entities)
        let extracted = try timed("extract") { () throws(BuildFailure) in parsed.map(extractor.extract) }
        let graph = try timed("graph") { () throws(BuildFailure) in
            EventGraph(extracted: extracted.flatMap { $0 }, entities: content.entities,
                       articleDates: Dictionary(content.articles.map { ($0.meta.slug, $0.meta.date) }, uniquingKeysWith: { a, _ in a }))
        }
        let files = try timed("render") { () throws(BuildFailure) in
            SiteRenderer(config: content.config, graph: graph, articles: parsed, templates: templates).render()
        }
        return Result(content: content, parsed: parsed, extracted: extracted, graph: graph, files: files)
    }

    /// Builds and writes the site.
    public func build() throws(BuildFailure) -> Report {
        var timings: [(String, Double)] = []
        let result = try run(timings: &timings)
        let writer = OutputWriter(output: options.output, protectedFolders: [options.content, options.templates])
        let t0 = DispatchTime.now().uptimeNanoseconds
        let count: Int
        do {
            count = try writer.write(result.files, assetsFrom: options.templates.appendingPathComponent("assets"))
        } catch {
            throw BuildFailure([error])
        }
        timings.append(("write", Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9))
        return Report(articles: result.content.articles.count, entities: result.content.entities.count,
                      events: result.graph.events.count,
                      extractedPerArticle: zip(result.parsed, result.extracted).map { ($0.meta.slug, $1.count) },
                      files: count, timings: timings.map { (stage: $0.0, seconds: $0.1) },
                      warnings: result.content.warnings)
    }
}
