import ArgumentParser
import Foundation
import SitegenCore

/// The editor's commands: review what extraction found, check content, start an article.

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validates content without writing the site; exits 1 when there are errors.")

    @Option(help: "Folder with site.yml, entities.yml, overrides.yml and articles/.")
    var content = "content"

    func run() throws {
        let report = ContentChecker(contentDirectory: URL(fileURLWithPath: content).standardizedFileURL).run()
        for f in report.findings { print(f.description) }
        let warnings = report.findings.count - report.errorCount
        print("\(report.articles) articles, \(report.events) events: \(report.errorCount) errors, \(warnings) warnings")
        if report.errorCount > 0 { throw ExitCode(1) }
    }
}

struct Events: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lists the extracted events with date, precision, entities, key and quote (the key is what overrides.yml uses).")

    @Option(help: "Folder with the content.")
    var content = "content"

    @Option(help: "Only events from this article (slug).")
    var article: String?

    @Option(help: "Only events naming this entity (id), or one of its products.")
    var entity: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @Flag(help: "Also list the dated statements that did not become events, with the reason.")
    var skipped = false

    func run() throws {
        let loaded: SiteContent
        do {
            loaded = try ContentLoader(contentDirectory: URL(fileURLWithPath: content).standardizedFileURL).load()
        } catch {
            for d in error.diagnostics { FileHandle.standardError.write(Data((d.description + "\n").utf8)) }
            throw ExitCode(1)
        }
        let analysis = ContentChecker.analyze(loaded)
        let graph = analysis.graph
        let names = Dictionary(loaded.entities.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let selected = graph.events.filter { e in
            (article == nil || e.sources.contains { $0.articleSlug == article }) &&
            (entity == nil || e.entities.contains(entity!) || e.impliedEntities.contains(entity!))
        }
        if json {
            var out = "[\n"
            out += selected.map { e in
                "  {\"id\": \(JSONText.quote(e.id)), \"date\": \(JSONText.quote(e.date.string)), \"precision\": \(JSONText.quote(e.date.precision.name)), "
                + "\"mod\": \(e.mod.map { JSONText.quote($0.rawValue) } ?? "null"), \"end\": \(e.end.map { JSONText.quote($0.string) } ?? "null"), "
                + "\"headline\": \(JSONText.quote(e.headline)), \"kind\": \(e.kind.map { JSONText.quote($0.rawValue) } ?? "null"), "
                + "\"entities\": [\(e.entities.map(JSONText.quote).joined(separator: ", "))], "
                + "\"sources\": [\(e.sources.map { "{\"key\": \(JSONText.quote($0.key)), \"article\": \(JSONText.quote($0.articleSlug)), \"line\": \($0.line), \"quote\": \(JSONText.quote($0.quote))}" }.joined(separator: ", "))]}"
            }.joined(separator: ",\n")
            print(out + "\n]")
            return
        }
        for e in selected {
            let date = DateDisplay.text(e.date, mod: e.mod, end: e.end, endMod: e.endMod)
            print("\(date)  [\(e.date.precision.name)]  \(e.headline)")
            print("    entities: \(e.entities.map { names[$0] ?? $0 }.joined(separator: "、"))\(e.kind.map { "   kind: \($0.rawValue)" } ?? "")")
            for s in e.sources {
                print("    key: \(s.key)   articles/\(s.articleSlug).md:\(s.line)")
                print("    「\(s.quote)」")
            }
        }
        print("\(selected.count) events")
        if skipped {
            let list = analysis.skipped.filter { article == nil || $0.articleSlug == article }
            for s in list {
                print("skipped  articles/\(s.articleSlug).md:\(s.line)  [\(s.reason.rawValue)] \(s.dateText ?? "")  「\(s.text)」")
            }
            print("\(list.count) dated statements skipped")
        }
    }
}

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Creates a new article with front matter filled in.")

    @Argument(help: "The article's title.")
    var title: String

    @Option(help: "Folder to create it in.")
    var into = "content/articles"

    @Option(help: "Publication date (YYYY-MM-DD); today when absent.")
    var date: String?

    @Option(help: "File name (without .md); derived from the title when absent.")
    var slug: String?

    func run() throws {
        let day: CivilDate
        if let date {
            guard let d = CivilDate(iso: date) else { throw ValidationError("--date must be a real date written YYYY-MM-DD") }
            day = d
        } else {
            day = NewArticle.today()
        }
        do {
            let url = try NewArticle.create(title: title, date: day, slug: slug, in: URL(fileURLWithPath: into))
            print("Created \(url.path)")
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
    }
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Converts raw article text (标题/链接/总结 header lines, PDF-extracted text, Markdown-ish text) into content articles; never overwrites a file.")

    @Argument(help: "Text files to import.")
    var files: [String]

    @Option(help: "Folder to write the articles into.")
    var into = "content/articles"

    @Option(help: "File name (without .md) when importing one file; derived from the title and date when absent.")
    var slug: String?

    @Option(help: "Publication date (YYYY-MM-DD) when importing one file; inferred from the text when absent.")
    var date: String?

    @Flag(name: .customLong("dry-run"), help: "Print the converted articles instead of writing them.")
    var dryRun = false

    func validate() throws {
        if files.count > 1, slug != nil { throw ValidationError("--slug names one file; import the files one by one to name each") }
        if files.count > 1, date != nil { throw ValidationError("--date dates one file; import the files one by one to date each") }
        if let date, CivilDate(iso: date) == nil { throw ValidationError("--date must be a real date written YYYY-MM-DD, got '\(date)'") }
    }

    func run() throws {
        let folder = URL(fileURLWithPath: into)
        let given = date.flatMap { CivilDate(iso: $0) }
        var failed = 0
        for file in files {
            do throws(Diagnostic) {
                let article: ImportedArticle
                if dryRun {
                    guard let data = FileManager.default.contents(atPath: file) else {
                        throw Diagnostic(file: file, message: "cannot read the file", hint: "check the path")
                    }
                    article = try ArticleImporter.convert(data: data, fileName: file, givenDate: given)
                    print(article.markdown)
                } else {
                    let (url, imported) = try ArticleImporter.importFile(URL(fileURLWithPath: file), into: folder, slug: slug, givenDate: given)
                    article = imported
                    print("\(file) → \(into.hasSuffix("/") ? into : into + "/")\(url.lastPathComponent)")
                }
                let dateLine = "  date \(article.date.date.iso): \(article.date.explanation)\n"
                if dryRun { FileHandle.standardError.write(Data(dateLine.utf8)) } else { print(dateLine, terminator: "") }
                for n in article.notes {
                    FileHandle.standardError.write(Data("\(file): warning: \(n)\n".utf8))
                }
            } catch {
                failed += 1
                FileHandle.standardError.write(Data((error.description + "\n").utf8))
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }
}
