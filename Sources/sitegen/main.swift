import ArgumentParser
import Foundation
import SitegenCore
import SitegenServe

struct Sitegen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sitegen",
        abstract: "Builds an industry-timeline website from Chinese articles about the AI large-model industry.",
        subcommands: [Build.self, Dates.self, Serve.self, Check.self, Events.self, New.self, Import.self],
        defaultSubcommand: Build.self
    )
}

struct Dates: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Prints the temporal expressions found in TEXT (or standard input) as JSON.")

    @Option(help: "Publication date the text is read against (YYYY-MM-DD).")
    var reference: String

    @Argument(help: "Text to read; standard input when absent.")
    var text: String?

    func run() throws {
        guard let ref = CivilDate(iso: reference) else {
            throw ValidationError("--reference must be a real date written YYYY-MM-DD, got '\(reference)'.")
        }
        let input = text ?? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        print(TemporalJSON.encode(TemporalJSON.expressions(in: input, reference: ref)))
    }
}

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Builds, serves the output folder on loopback and rebuilds on every save; open pages reload by themselves.")

    @Option(help: "Address to listen on (loopback by default).")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one.")
    var port = 8000

    @Option(help: "Folder with site.yml, entities.yml and articles/.")
    var content = "content"

    @Option(help: "Folder with the Mustache templates and assets/.")
    var templates = "Templates"

    @Option(help: "Output folder (the preview is built with base URL / unless --base-url is given).")
    var output = "public"

    @Option(name: .customLong("base-url"), help: "Base URL for the preview build (default /).")
    var baseURL: String?

    @Flag(name: .customLong("no-cache"), help: "Reuse nothing from earlier builds: parse and extract every article on every build.")
    var noCache = false

    func run() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535, got \(port)") }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        func resolve(_ p: String) -> URL { URL(fileURLWithPath: p, relativeTo: cwd).standardizedFileURL }
        let contentURL = resolve(content)
        let options = PreviewServer.Options(
            host: host, port: UInt16(port),
            build: .init(content: contentURL, templates: resolve(templates), output: resolve(output), baseURL: baseURL,
                         cacheDirectory: noCache ? nil : ArticleCache.defaultDirectory(for: contentURL)),
            useCache: !noCache)
        do {
            try PreviewServer.runUntilInterrupted(options: options) { line in
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Builds the site from content/ into public/.")

    @Option(help: "Folder with site.yml, entities.yml and articles/.")
    var content = "content"

    @Option(help: "Folder with the Mustache templates and assets/.")
    var templates = "Templates"

    @Option(help: "Output folder; replaced whole, and only if sitegen made it.")
    var output = "public"

    @Option(name: .customLong("base-url"), help: "Overrides base_url of site.yml (e.g. https://host/timeline/).")
    var baseURL: String?

    @Flag(name: .shortAndLong, help: "Print only errors and warnings.")
    var quiet = false

    @Flag(name: .customLong("no-cache"), help: "Cold build: ignore and do not update .sitegen-cache/ beside the content folder.")
    var noCache = false

    @Flag(name: .customLong("keep-going"), help: "Skip bad articles, entity definitions and overrides (printed as warnings) and build the rest; template errors still fail.")
    var keepGoing = false

    func run() throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        func resolve(_ p: String) -> URL { URL(fileURLWithPath: p, relativeTo: cwd).standardizedFileURL }
        let contentURL = resolve(content)
        let builder = SiteBuilder(options: .init(content: contentURL, templates: resolve(templates),
                                                 output: resolve(output), baseURL: baseURL,
                                                 cacheDirectory: noCache ? nil : ArticleCache.defaultDirectory(for: contentURL),
                                                 keepGoing: keepGoing))
        let started = Date()
        do {
            let report = try builder.build()
            for w in report.warnings + report.skipped { FileHandle.standardError.write(Data((w.description + "\n").utf8)) }
            if !report.skipped.isEmpty {
                FileHandle.standardError.write(Data((Self.skippedSummary(report.skipped) + "\n").utf8))
            }
            if !quiet {
                for t in report.timings {
                    print(String(format: "  %-10@ %8.1f ms", t.stage as NSString, t.seconds * 1000))
                }
                print("Built \(report.files) files from \(report.articles) articles: \(report.events) events, \(report.entities) entities → \(output)/ in \(String(format: "%.0f", Date().timeIntervalSince(started) * 1000)) ms")
                let w = report.write
                print("  articles reused from the cache: \(report.cache.hits), parsed: \(report.cache.misses); files written: \(w.written), unchanged: \(w.unchanged), deleted: \(w.deleted); pages kept without rendering: \(w.reused)")
            }
        } catch {
            for d in error.diagnostics { FileHandle.standardError.write(Data((d.description + "\n").utf8)) }
            let n = error.diagnostics.filter { $0.severity == .error }.count
            FileHandle.standardError.write(Data("Build failed with \(n) error\(n == 1 ? "" : "s"); \(output)/ was left unchanged.\n".utf8))
            throw ExitCode(1)
        }
    }

    /// 「skipped 2 files and 1 entity definition」 and what they were, for `--keep-going`.
    static func skippedSummary(_ skipped: [Diagnostic]) -> String {
        let whole = skipped.filter { $0.file.hasPrefix("articles/") }
        var files: [String] = []
        for d in whole where !files.contains(d.file) { files.append(d.file) }
        let parts = skipped.filter { !$0.file.hasPrefix("articles/") }
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        var summary = "--keep-going: skipped \(plural(files.count, "file"))"
        if !parts.isEmpty { summary += " and \(plural(parts.count, "definition")) (entities, overrides)" }
        summary += " with errors; the site was built without them."
        for f in files { summary += "\n  skipped \(f)" }
        for d in parts { summary += "\n  skipped \(d.location)" }
        return summary
    }
}

// Entry point (a main.swift file runs top to bottom; the commands live in the other files too).
Sitegen.main()
