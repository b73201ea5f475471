import Foundation
import Mustache

/// The Mustache templates of `Templates/`, parsed once per build. Parse errors and missing
/// partials are reported with the template file and line.
public struct TemplateSet: Sendable {
    public let library: MustacheLibrary
    public let names: Set<String>
    /// The same templates compiled for the fast renderer (`CompiledTemplate`); nil when one of
    /// them uses Mustache the fast renderer does not cover, and then swift-mustache renders all.
    let compiled: [String: CompiledTemplate]?

    public static let requiredPages = ["index", "year", "entities", "entity", "articles", "article", "event", "404", "listing", "explore", "review"]

    public init(directory: URL) throws(BuildFailure) {
        let fm = FileManager.default
        guard let files = try? fm.contentsOfDirectory(atPath: directory.path) else {
            throw BuildFailure([Diagnostic(file: directory.path, message: "the templates folder does not exist",
                                           hint: "run sitegen from the project folder or pass --templates DIR")])
        }
        var library = MustacheLibrary()
        var names: Set<String> = []
        var errors: [Diagnostic] = []
        var sources: [String: String] = [:]
        for file in files.sorted() where file.hasSuffix(".mustache") {
            let name = String(file.dropLast(".mustache".count))
            let path = directory.appendingPathComponent(file).path
            guard let data = fm.contents(atPath: path), let text = String(validating: data, as: UTF8.self) else {
                errors.append(Diagnostic(file: "Templates/\(file)", message: "cannot be read as UTF-8 text"))
                continue
            }
            sources[name] = text
            do {
                try library.register(text, named: name)
                names.insert(name)
            } catch let e as MustacheTemplate.ParserError {
                errors.append(Diagnostic(file: "Templates/\(file)", line: e.context.lineNumber, column: e.context.columnNumber,
                                         message: "template syntax error: \(e.error)", excerpt: e.context.line,
                                         hint: "check that every {{#section}} has a matching {{/section}} and tags are closed"))
            } catch {
                errors.append(Diagnostic(file: "Templates/\(file)", message: "template error: \(error)"))
            }
        }
        // swift-mustache renders a missing partial as nothing; a typo in a partial name would then
        // silently drop the header. Check every {{> name}} up front.
        for (name, text) in sources.sorted(by: { $0.key < $1.key }) {
            for (lineNo, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                var rest = Substring(line)
                while let r = rest.range(of: "{{>") {
                    let after = rest[r.upperBound...]
                    guard let close = after.range(of: "}}") else { break }
                    let partial = after[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                    if sources[partial] == nil {
                        errors.append(Diagnostic(file: "Templates/\(name).mustache", line: lineNo + 1,
                                                 message: "partial '\(partial)' does not exist", excerpt: String(line),
                                                 hint: "create Templates/\(partial).mustache or correct the name"))
                    }
                    rest = after[close.upperBound...]
                }
            }
        }
        for page in Self.requiredPages where sources[page] == nil {
            errors.append(Diagnostic(file: "Templates/\(page).mustache", message: "required template is missing",
                                     hint: "restore it from the sitegen repository"))
        }
        if !errors.isEmpty { throw BuildFailure(errors) }
        self.library = library
        self.names = names
        var compiled: [String: CompiledTemplate]? = [:]
        for (name, text) in sources {
            guard let t = try? CompiledTemplate(text) else { compiled = nil; break }
            compiled?[name] = t
        }
        self.compiled = compiled
    }

    /// A page file rendered from template `name`, kept as the bytes the compiled renderer made
    /// (turning them into a String first validated and copied every page: 1.3 s of CPU for the
    /// 162,000 pages at 10,000 articles).
    public func file(_ path: String, _ name: String, _ context: [String: Any]) -> OutputFile {
        guard let compiled, let template = compiled[name] else { return OutputFile(path: path, text: referenceRender(name, context)) }
        var out: [UInt8] = []
        out.reserveCapacity(16 * 1024)
        template.render(context, partials: compiled, into: &out)
        return OutputFile(path: path, bytes: out)
    }

    /// The same set rendering everything through swift-mustache (for the tests that compare).
    func referenceOnly() -> TemplateSet { TemplateSet(library: library, names: names, compiled: nil) }

    private init(library: MustacheLibrary, names: Set<String>, compiled: [String: CompiledTemplate]?) {
        self.library = library
        self.names = names
        self.compiled = compiled
    }

    /// Rendered by swift-mustache (templates the fast renderer does not cover, and tests that
    /// compare the two).
    func referenceRender(_ name: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: name) ?? ""
    }
}
