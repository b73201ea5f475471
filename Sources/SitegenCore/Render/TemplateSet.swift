import Foundation
import Mustache

/// The Mustache templates of `Templates/`, parsed once per build. Parse errors and missing
/// partials are reported with the template file and line.
public struct TemplateSet: Sendable {
    public let library: MustacheLibrary
    public let names: Set<String>

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
    }

    public func render(_ name: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: name) ?? ""
    }
}
