/// A Mustache template compiled once into a tree and rendered straight into UTF-8 bytes.
///
/// Why not render through swift-mustache, which still parses and checks every template: profiling
/// a 1,000-article build (perf, 15,326 events, 18,000 pages) put 48% of all CPU time inside
/// swift-mustache's render — its HTML escaping alone, a dictionary lookup per `Character`, was
/// 12.8% — and the render stage at 10,000 articles took 132 s. This renderer covers the Mustache
/// that sitegen's templates use — variables (escaped and `{{{raw}}}`), dotted names, `{{.}}`,
/// sections, inverted sections, partials, comments, and the standalone-line rule with partial
/// indentation — and works on bytes, escaping with `HTML.escape`. A template using anything else
/// (set delimiters, lambdas, blocks and parents) is not compiled and keeps rendering through
/// swift-mustache; a test renders every page of the real site both ways and compares the bytes.
struct CompiledTemplate: Sendable {
    indirect enum Node: Sendable {
        case text([UInt8])
        case variable([String], escaped: Bool)
        case section([String], [Node], inverted: Bool)
        case partial(String, indent: [UInt8])
    }

    let nodes: [Node]

    /// Why a template cannot be compiled here (it then renders through swift-mustache).
    struct Unsupported: Error { var reason: String }

    init(_ source: String) throws(Unsupported) {
        nodes = try Compiler(Array(source.utf8)).compile()
    }

    // MARK: rendering

    /// Renders with `context` as the bottom of the stack; partials come from `partials`.
    func render(_ context: Any, partials: [String: CompiledTemplate], into out: inout [UInt8]) {
        var stack: [Any] = [context]
        Self.render(nodes, stack: &stack, partials: partials, indent: [], into: &out)
    }

    static func render(_ nodes: [Node], stack: inout [Any], partials: [String: CompiledTemplate], indent: [UInt8],
                       into out: inout [UInt8]) {
        for node in nodes {
            switch node {
            case .text(let bytes):
                append(bytes, indent: indent, into: &out)
            case .variable(let path, let escaped):
                guard let value = lookup(path, in: stack), let text = text(of: value) else { continue }
                if indent.isEmpty {
                    // Straight into the page's bytes: no escaped copy, no intermediate array.
                    if escaped { HTML.appendEscaped(text, into: &out) } else { out += text.utf8 }
                } else {
                    append(Array((escaped ? HTML.escape(text) : text).utf8), indent: indent, into: &out)
                }
            case .section(let path, let body, let inverted):
                let value = lookup(path, in: stack)
                // The common kinds answered by metatype before the casts below, whose failures
                // are the slow ones (a string tried as a list, then as a flag).
                if let v = value, !inverted {
                    let t = type(of: v)
                    if t == [[String: Any]].self {
                        for element in v as! [[String: Any]] {
                            stack.append(element)
                            render(body, stack: &stack, partials: partials, indent: indent, into: &out)
                            stack.removeLast()
                        }
                        continue
                    }
                    if t == [String: Any].self || t == String.self {
                        stack.append(v)
                        render(body, stack: &stack, partials: partials, indent: indent, into: &out)
                        stack.removeLast()
                        continue
                    }
                }
                if inverted {
                    if isFalsy(value) { render(body, stack: &stack, partials: partials, indent: indent, into: &out) }
                    continue
                }
                switch value {
                case nil: continue
                // Lists of contexts are checked as what they are first: casting `[[String: Any]]`
                // to `[Any]` builds a new array of boxed elements on every section.
                case let list as [[String: Any]]:
                    for element in list {
                        stack.append(element)
                        render(body, stack: &stack, partials: partials, indent: indent, into: &out)
                        stack.removeLast()
                    }
                case let list as [Any]:
                    for element in list {
                        stack.append(element)
                        render(body, stack: &stack, partials: partials, indent: indent, into: &out)
                        stack.removeLast()
                    }
                case let flag as Bool:
                    if flag { render(body, stack: &stack, partials: partials, indent: indent, into: &out) }
                case let v?:
                    stack.append(v)
                    render(body, stack: &stack, partials: partials, indent: indent, into: &out)
                    stack.removeLast()
                }
            case .partial(let name, let partialIndent):
                guard let p = partials[name] else { continue }
                render(p.nodes, stack: &stack, partials: partials, indent: indent + partialIndent, into: &out)
            }
        }
    }

    /// Indentation of a standalone partial goes at the start of every line it renders: the
    /// text's line starts are where the output's last byte is a newline (or nothing yet).
    static func append(_ bytes: [UInt8], indent: [UInt8], into out: inout [UInt8]) {
        guard !indent.isEmpty else { out += bytes; return }
        for b in bytes {
            if out.last == 0x0A || out.isEmpty { out += indent }
            out.append(b)
        }
    }

    static func isFalsy(_ value: Any?) -> Bool {
        if let v = value {
            let t = type(of: v)
            if t == [String: Any].self || t == String.self { return false }
            if t == Bool.self { return !(v as! Bool) }
        }
        switch value {
        case nil: return true
        case let list as [[String: Any]]: return list.isEmpty
        case let list as [Any]: return list.isEmpty
        case let flag as Bool: return !flag
        default: return false
        }
    }

    /// The first name is looked up from the top of the stack down; the rest inside what it found.
    ///
    /// perf put `lookup` at 7–9% of build CPU (inclusive) at 2,000 articles, mostly in the runtime's casts
    /// (`tryCast`, protocol conformance lookups for `unwrap`'s `any OptionalValue` on every value).
    /// The contexts are `[String: Any]` almost always, so that exact type is checked by metatype
    /// first; other frames (strings, `[String: String]`) go through the general cast as before.
    static func lookup(_ path: [String], in stack: [Any]) -> Any? {
        guard let first = path.first else { return unwrap(stack.last) }
        var found: Any?
        var k = stack.count
        while k > 0 {
            k -= 1
            if let dict = dictionary(stack[k]), let v = dict[first] {
                found = unwrap(v)
                break
            }
        }
        var n = 1
        while n < path.count {
            guard let f = found, let dict = dictionary(f) else { return nil }
            found = unwrap(dict[path[n]])
            n += 1
        }
        return found
    }

    @inline(__always)
    static func dictionary(_ value: Any) -> [String: Any]? {
        // A cast to the value's own type takes the runtime's first, cheapest path.
        let t = type(of: value)
        if t == [String: Any].self { return (value as! [String: Any]) }
        if t == String.self { return nil }
        return value as? [String: Any]
    }

    /// An `Optional` stored in an `Any` is its wrapped value or nothing.
    static func unwrap(_ value: Any?) -> Any? {
        guard let value else { return nil }
        // The types contexts hold are not optionals: answered without the conformance lookup.
        let t = type(of: value)
        if t == String.self || t == [String: Any].self || t == Int.self || t == Bool.self
            || t == [[String: Any]].self || t == [Any].self {
            return value
        }
        if let optional = value as? any OptionalValue { return optional.wrappedAny }
        return value
    }

    static func text(of value: Any) -> String? {
        let t = type(of: value)
        if t == String.self { return (value as! String) }
        if t == Int.self { return String(value as! Int) }
        switch value {
        case let s as String: return s
        case let s as Substring: return String(s)
        case let n as Int: return String(n)
        case let b as Bool: return b ? "true" : "false"
        default: return String(describing: value)
        }
    }
}

protocol OptionalValue { var wrappedAny: Any? { get } }
extension Optional: OptionalValue {
    var wrappedAny: Any? { self.map { $0 as Any } }
}

// MARK: - compiling

extension CompiledTemplate {
    /// Tokenises with the standard `{{ }}` delimiters, applies the standalone-line rule, and
    /// nests sections. Syntax errors need no positions here: swift-mustache has already parsed
    /// the same text and reported them with file and line.
    struct Compiler {
        enum TagKind { case variable, raw, section, inverted, close, partial, comment }
        enum Token {
            case text([UInt8])
            case tag(TagKind, String, indent: [UInt8])
        }

        let s: [UInt8]
        init(_ s: [UInt8]) { self.s = s }

        func compile() throws(Unsupported) -> [Node] {
            var tokens = try tokenize()
            tokens = tokens.filter {
                if case .text(let t) = $0 { return !t.isEmpty }
                return true
            }
            var index = 0
            let nodes = try nest(tokens, &index, closing: nil)
            guard index == tokens.count else { throw Unsupported(reason: "unbalanced sections") }
            return nodes
        }

        func nest(_ tokens: [Token], _ i: inout Int, closing: String?) throws(Unsupported) -> [Node] {
            var out: [Node] = []
            while i < tokens.count {
                let token = tokens[i]
                i += 1
                switch token {
                case .text(let t): out.append(.text(t))
                case .tag(let kind, let name, let indent):
                    switch kind {
                    case .variable: out.append(.variable(Self.path(name), escaped: true))
                    case .raw: out.append(.variable(Self.path(name), escaped: false))
                    case .comment: break
                    case .partial: out.append(.partial(name, indent: indent))
                    case .section, .inverted:
                        let body = try nest(tokens, &i, closing: name)
                        out.append(.section(Self.path(name), body, inverted: kind == .inverted))
                    case .close:
                        guard name == closing else { throw Unsupported(reason: "unexpected {{/\(name)}}") }
                        return out
                    }
                }
            }
            if closing != nil { throw Unsupported(reason: "unclosed section \(closing!)") }
            return out
        }

        static func path(_ name: String) -> [String] {
            name == "." ? [] : name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        }

        static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

        /// Tokens with standalone lines already stripped: a line holding only whitespace and one
        /// section, inverted, close, partial or comment tag loses that whitespace and its line end;
        /// a standalone partial remembers the indentation.
        func tokenize() throws(Unsupported) -> [Token] {
            var tokens: [Token] = []
            var lineStart = 0
            var pos = 0
            var text: [UInt8] = []
            while pos < s.count {
                guard s[pos] == UInt8(ascii: "{"), pos + 1 < s.count, s[pos + 1] == UInt8(ascii: "{") else {
                    text.append(s[pos])
                    if s[pos] == 0x0A { lineStart = pos + 1 }
                    pos += 1
                    continue
                }
                // A tag.
                var p = pos + 2
                var kind = TagKind.variable
                var closer: [UInt8] = [UInt8(ascii: "}"), UInt8(ascii: "}")]
                if p < s.count {
                    switch s[p] {
                    case UInt8(ascii: "{"): kind = .raw; closer = [UInt8(ascii: "}"), UInt8(ascii: "}"), UInt8(ascii: "}")]; p += 1
                    case UInt8(ascii: "&"): kind = .raw; p += 1
                    case UInt8(ascii: "#"): kind = .section; p += 1
                    case UInt8(ascii: "^"): kind = .inverted; p += 1
                    case UInt8(ascii: "/"): kind = .close; p += 1
                    case UInt8(ascii: ">"): kind = .partial; p += 1
                    case UInt8(ascii: "!"): kind = .comment; p += 1
                    case UInt8(ascii: "="), UInt8(ascii: "$"), UInt8(ascii: "<"):
                        throw Unsupported(reason: "set delimiters, blocks and parents are not compiled")
                    default: break
                    }
                }
                guard let end = find(closer, from: p) else { throw Unsupported(reason: "unclosed tag") }
                let name = String(decoding: s[p..<end], as: UTF8.self).trimmingCharacters(in: .whitespaces)
                let after = end + closer.count
                // Standalone: only whitespace between the line start and the tag, and between the
                // tag and the line end (or the end of the template).
                let standaloneKinds: [TagKind] = [.section, .inverted, .close, .partial, .comment]
                var isStandalone = false
                var lineEnd = after
                if standaloneKinds.contains(kind), s[lineStart..<pos].allSatisfy(Self.isSpace) {
                    var q = after
                    while q < s.count, Self.isSpace(s[q]) { q += 1 }
                    if q == s.count {
                        isStandalone = true; lineEnd = q
                    } else if s[q] == 0x0A {
                        isStandalone = true; lineEnd = q + 1
                    } else if s[q] == 0x0D, q + 1 < s.count, s[q + 1] == 0x0A {
                        isStandalone = true; lineEnd = q + 2
                    }
                }
                var indent: [UInt8] = []
                if isStandalone {
                    // Drop the whitespace before the tag from the pending text.
                    let leading = pos - lineStart
                    indent = Array(s[lineStart..<pos])
                    text.removeLast(leading)
                }
                tokens.append(.text(text))
                text = []
                tokens.append(.tag(kind, name, indent: kind == .partial ? indent : []))
                if isStandalone {
                    pos = lineEnd
                    lineStart = lineEnd
                } else {
                    pos = after
                }
            }
            tokens.append(.text(text))
            return tokens
        }

        func find(_ needle: [UInt8], from start: Int) -> Int? {
            var i = start
            while i + needle.count <= s.count {
                if s[i..<(i + needle.count)].elementsEqual(needle) { return i }
                i += 1
            }
            return nil
        }
    }
}
