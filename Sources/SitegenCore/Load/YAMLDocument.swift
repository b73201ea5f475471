import Yams

/// A YAML document read through Yams with its positions kept, so that every complaint about a
/// value can name the line it is on. `lineOffset` maps YAML lines back to the file (front matter
/// starts on the file's second line).
struct YAMLDocument {
    let file: String
    let text: String
    let lineOffset: Int
    let root: Node?

    init(file: String, text: String, lineOffset: Int = 0) throws(Diagnostic) {
        self.file = file
        self.text = text
        self.lineOffset = lineOffset
        do {
            // The encoding is given: Yams' default reads the whole process environment on every
            // call (3% of a one-article rebuild at 10,000 articles).
            root = try Yams.compose(yaml: text, .default, .default, .utf8)
        } catch let error as YamlError {
            throw YAMLDocument.diagnostic(for: error, file: file, text: text, lineOffset: lineOffset)
        } catch {
            throw Diagnostic(file: file, line: lineOffset + 1, message: "cannot read YAML: \(error)")
        }
    }

    private static func diagnostic(for error: YamlError, file: String, text: String, lineOffset: Int) -> Diagnostic {
        let hint = "fix the YAML syntax on this line (quote values that contain ':' or start with a quote or bracket)"
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return Diagnostic(file: file, line: mark.line + lineOffset, column: mark.column,
                              message: "invalid YAML: \(what)", excerpt: line(text, mark.line), hint: hint)
        case let .duplicatedKeysInMapping(duplicates, context):
            let dup = duplicates.joined(separator: ", ")
            return Diagnostic(file: file, line: lineOffset + 1, message: "duplicate key '\(dup)' (\(context.text))",
                              hint: "give each key once")
        default:
            return Diagnostic(file: file, line: lineOffset + 1, message: "invalid YAML: \(error)", hint: hint)
        }
    }

    static func line(_ text: String, _ n: Int) -> String? {
        var i = 1
        for l in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if i == n { return String(l) }
            i += 1
        }
        return nil
    }

    func fileLine(of node: Node?) -> Int? { node?.mark.map { $0.line + lineOffset } }
    func column(of node: Node?) -> Int? { node?.mark?.column }

    func diagnostic(_ node: Node?, _ message: String, hint: String? = nil, severity: Diagnostic.Severity = .error) -> Diagnostic {
        let l = node?.mark?.line
        return Diagnostic(severity, file: file, line: l.map { $0 + lineOffset } ?? (lineOffset + 1),
                          column: node?.mark?.column, message: message,
                          excerpt: l.flatMap { YAMLDocument.line(text, $0) }, hint: hint)
    }

    /// The value node for `key` in a mapping, with the key node for locating "missing" errors.
    static func value(_ mapping: Node.Mapping, _ key: String) -> Node? {
        for (k, v) in mapping where k.string == key { return v }
        return nil
    }

    /// A scalar string; nil for a null scalar.
    func string(_ node: Node?, key: String) throws(Diagnostic) -> String? {
        guard let node else { return nil }
        switch node {
        case .scalar(let s):
            if s.tag.rawValue == Tag.Name.null.rawValue || ["", "~", "null", "Null", "NULL"].contains(s.string) && s.style == .plain { return nil }
            return s.string
        default:
            throw diagnostic(node, "'\(key)' must be a single text value, not a list or mapping",
                             hint: "write it as `\(key): value`")
        }
    }

    /// A list of strings; a single string is accepted as a one-item list.
    func strings(_ node: Node?, key: String) throws(Diagnostic) -> [String] {
        guard let node else { return [] }
        switch node {
        case .scalar(let s):
            if s.style == .plain && ["", "~", "null"].contains(s.string) { return [] }
            if s.style == .plain, Int(s.string) != nil || Double(s.string) != nil {
                throw diagnostic(node, "'\(key)' must be a list of text values, found the number \(s.string)",
                                 hint: "write it as `\(key): [\"\(s.string)\"]` or `\(key): [a, b]`")
            }
            return [s.string]
        case .sequence(let seq):
            var out: [String] = []
            for item in seq {
                guard case .scalar(let s) = item else {
                    throw diagnostic(item, "every item of '\(key)' must be a text value", hint: "write `\(key): [a, b]`")
                }
                out.append(s.string)
            }
            return out
        default:
            throw diagnostic(node, "'\(key)' must be a list of text values, not a mapping", hint: "write `\(key): [a, b]`")
        }
    }
}
