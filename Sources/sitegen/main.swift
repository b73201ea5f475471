import ArgumentParser
import Foundation
import SitegenCore

@main
struct Sitegen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sitegen",
        abstract: "Builds an industry-timeline website from Chinese articles about the AI large-model industry.",
        subcommands: [Build.self, Dates.self, Serve.self],
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
    static let configuration = CommandConfiguration(abstract: "Local preview server (coming).")
    func run() throws {
        FileHandle.standardError.write(Data("sitegen serve is coming; for now run `sitegen build` and open public/index.html or serve public/ with any static server.\n".utf8))
        throw ExitCode(2)
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

    func run() throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        func resolve(_ p: String) -> URL { URL(fileURLWithPath: p, relativeTo: cwd).standardizedFileURL }
        let builder = SiteBuilder(options: .init(content: resolve(content), templates: resolve(templates),
                                                 output: resolve(output), baseURL: baseURL))
        let started = Date()
        do {
            let report = try builder.build()
            for w in report.warnings { FileHandle.standardError.write(Data((w.description + "\n").utf8)) }
            if !quiet {
                for t in report.timings {
                    print(String(format: "  %-10@ %8.1f ms", t.stage as NSString, t.seconds * 1000))
                }
                print("Built \(report.files) files from \(report.articles) articles: \(report.events) events, \(report.entities) entities → \(output)/ in \(String(format: "%.0f", Date().timeIntervalSince(started) * 1000)) ms")
            }
        } catch {
            for d in error.diagnostics { FileHandle.standardError.write(Data((d.description + "\n").utf8)) }
            let n = error.diagnostics.filter { $0.severity == .error }.count
            FileHandle.standardError.write(Data("Build failed with \(n) error\(n == 1 ? "" : "s"); \(output)/ was left unchanged.\n".utf8))
            throw ExitCode(1)
        }
    }
}
