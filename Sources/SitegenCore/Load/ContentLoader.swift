import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Stage 1, load: reads site.yml, entities.yml and every article of the content folder.
/// Collects all errors instead of stopping at the first, so one build shows every problem.
/// With `keepGoing`, a bad article, entity definition or override is left out instead (listed in
/// `SiteContent.skipped`); errors that concern a whole file the site cannot do without — site.yml,
/// a broken entities.yml or overrides.yml, a missing content folder — still fail the load.
public struct ContentLoader: Sendable {
    public var contentDirectory: URL
    public var keepGoing: Bool
    /// Front matter of unchanged articles from an earlier build (see `FrontMatterMemo`); the
    /// caller saves it after the load.
    public var memo: FrontMatterMemo?

    public init(contentDirectory: URL, keepGoing: Bool = false, memo: FrontMatterMemo? = nil) {
        self.contentDirectory = contentDirectory
        self.keepGoing = keepGoing
        self.memo = memo
    }

    /// The warning that stands for something `keepGoing` left out.
    static func skippedWarning(_ d: Diagnostic, what: String) -> Diagnostic {
        var w = d
        w.severity = .warning
        w.message += " — \(what) skipped (--keep-going)"
        return w
    }

    public func load() throws(BuildFailure) -> SiteContent {
        let fm = FileManager.default
        var errors: [Diagnostic] = []
        var warnings: [Diagnostic] = []
        var skipped: [Diagnostic] = []
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: contentDirectory.path, isDirectory: &isDir), isDir.boolValue else {
            throw BuildFailure([Diagnostic(file: contentDirectory.path, message: "the content folder does not exist",
                                           hint: "run sitegen from the project folder or pass --content DIR")])
        }

        var config = SiteConfig()
        let siteURL = contentDirectory.appendingPathComponent("site.yml")
        if let text = readText(siteURL, name: "site.yml", errors: &errors) {
            do { config = try SiteConfigLoader().load(text: text, file: "site.yml") } catch { errors.append(error) }
        } else if !fm.fileExists(atPath: siteURL.path) {
            warnings.append(Diagnostic(.warning, file: "site.yml", message: "no site.yml; using default title and base URL",
                                       hint: "create content/site.yml with title, language and base_url"))
        }

        var entities: [Entity] = []
        let entitiesURL = contentDirectory.appendingPathComponent("entities.yml")
        if let text = readText(entitiesURL, name: "entities.yml", errors: &errors) {
            do {
                let catalog = try EntityCatalogLoader().read(text: text, file: "entities.yml", keepGoing: keepGoing)
                entities = catalog.entities
                skipped += catalog.skipped
                warnings += catalog.warnings
            } catch { errors += error.diagnostics }
        } else if !fm.fileExists(atPath: entitiesURL.path) {
            warnings.append(Diagnostic(.warning, file: "entities.yml", message: "no entities.yml: events cannot be linked to companies or products, so none will be found",
                                       hint: "create content/entities.yml listing the companies, products and people of the articles"))
        }

        var overrides: [Override] = []
        let overridesURL = contentDirectory.appendingPathComponent("overrides.yml")
        if let text = readText(overridesURL, name: "overrides.yml", errors: &errors) {
            do {
                let loaded = try OverridesLoader().read(text: text, file: "overrides.yml", entityIDs: Set(entities.map(\.id)), keepGoing: keepGoing)
                overrides = loaded.overrides
                skipped += loaded.skipped
            } catch { errors += error.diagnostics }
        }

        var articles: [ArticleSource] = []
        var slugOwner: [String: String] = [:]
        let articlesDir = contentDirectory.appendingPathComponent("articles")
        let names = ((try? fm.contentsOfDirectory(atPath: articlesDir.path)) ?? []).sorted()
        if names.isEmpty {
            warnings.append(Diagnostic(.warning, file: "articles/", message: "no articles found", hint: "add Markdown files to content/articles/"))
        }
        // With keepGoing an article's error skips the article; otherwise it fails the build.
        func articleError(_ d: Diagnostic) {
            if keepGoing { skipped.append(Self.skippedWarning(d, what: "file")) } else { errors.append(d) }
        }
        // Each file is read and its front matter parsed on all cores (Yams takes about half a
        // millisecond per article); what is found is then taken in name order, as before.
        enum Outcome {
            case warning(Diagnostic), error(Diagnostic), article(ArticleSource)
        }
        let visible = names.filter { !$0.hasPrefix(".") }
        // Paths as strings: `URL.appendingPathComponent` stats the file to learn whether it is a folder.
        let articlesPath = articlesDir.path
        let outcomes = Parallel.map(visible.count) { k -> Outcome? in
            let name = visible[k]
            let rel = "articles/\(name)"
            let path = articlesPath + "/" + name
            guard name.hasSuffix(".md") || name.hasSuffix(".markdown") else {
                return .warning(Diagnostic(.warning, file: rel, message: "not a Markdown file (.md); skipped"))
            }
            // Look before reading: a FIFO would block the build forever, a device or a huge file
            // would be read whole into memory only to be refused.
            var st = SystemStat()
            if stat(path, &st) == 0 {
                if st.st_mode & S_IFMT == S_IFDIR {
                    return .error(Diagnostic(file: rel, message: "is a folder, but its name says it is an article",
                                             hint: "rename the folder or move the article file out of it"))
                }
                if st.st_mode & S_IFMT != S_IFREG {
                    return .error(Diagnostic(file: rel, message: "is not a regular file (a pipe, socket or device)",
                                             hint: "only put Markdown files in content/articles"))
                }
                if Int(st.st_size) > ArticleLoader.maxArticleBytes {
                    return .error(ArticleLoader.tooLarge(file: rel, bytes: Int(st.st_size)))
                }
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                return .error(Diagnostic(file: rel, message: "cannot be read (permission denied?)", hint: "check the file's permissions"))
            }
            do throws(Diagnostic) {
                return .article(try ArticleLoader().load(data: data, relativePath: rel, memo: memo))
            } catch {
                return .error(error)
            }
        }
        for outcome in outcomes {
            switch outcome {
            case nil: continue
            case .warning(let d)?: warnings.append(d)
            case .error(let d)?: articleError(d)
            case .article(let article)?:
                let rel = article.path
                if let other = slugOwner[article.meta.slug] {
                    let data = FileManager.default.contents(atPath: articlesDir.appendingPathComponent(String(rel.dropFirst("articles/".count))).path) ?? Data()
                    let (line, column, excerpt) = Self.slugLocation(data)
                    articleError(Diagnostic(file: rel, line: line, column: column, message: "slug '\(article.meta.slug)' is already used by \(other)",
                                            excerpt: excerpt, hint: "rename one of the files or set a different `slug:` in its front matter"))
                    continue
                }
                slugOwner[article.meta.slug] = rel
                articles.append(article)
            }
        }
        if !errors.isEmpty { throw BuildFailure(errors + warnings + skipped) }
        return SiteContent(config: config, entities: entities, articles: articles, overrides: overrides, warnings: warnings,
                           skipped: skipped)
    }

    /// Where an article's front matter sets `slug:` (line, column of the value, the line), or
    /// line 1 when its slug comes from the file name.
    static func slugLocation(_ data: Data) -> (Int, Int?, String?) {
        let text = String(decoding: data, as: UTF8.self)
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().dropFirst() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.trimmingCharacters(in: .whitespaces) == "---" { break }
            guard line.hasPrefix("slug:") else { continue }
            let value = line.dropFirst(5).prefix { $0 == " " || $0 == "\t" }.count
            return (i + 1, 6 + value, String(line))
        }
        return (1, nil, nil)
    }

    private func readText(_ url: URL, name: String, errors: inout [Diagnostic]) -> String? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            errors.append(Diagnostic(file: name, message: "cannot be read", hint: "check the file's permissions"))
            return nil
        }
        guard var text = String(validating: data, as: UTF8.self) else {
            let (l, c) = ArticleLoader.firstInvalidUTF8(data)
            errors.append(Diagnostic(file: name, line: l, column: c, message: "not valid UTF-8", hint: "re-save the file as UTF-8"))
            return nil
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text.replacingOccurrences(of: "\r\n", with: "\n")
    }
}
