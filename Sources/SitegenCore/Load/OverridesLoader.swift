import Yams

/// Reads `content/overrides.yml` (optional). See `Override` for the format.
public struct OverridesLoader: Sendable {
    public init() {}

    public func load(text: String, file: String = "overrides.yml", entityIDs: Set<String>) throws(BuildFailure) -> [Override] {
        try read(text: text, file: file, entityIDs: entityIDs, keepGoing: false).overrides
    }

    /// With `keepGoing`, an override with an error is skipped (and listed) instead of failing the
    /// file; only errors of the whole file are thrown.
    public func read(text: String, file: String = "overrides.yml", entityIDs: Set<String>,
                     keepGoing: Bool) throws(BuildFailure) -> (overrides: [Override], skipped: [Diagnostic]) {
        let doc: YAMLDocument
        do { doc = try YAMLDocument(file: file, text: text) } catch { throw BuildFailure([error]) }
        guard let root = doc.root else { return ([], []) }
        guard case .sequence(let items) = root else {
            throw BuildFailure([doc.diagnostic(root, "overrides.yml must be a list of overrides",
                                               hint: "start each override with `- match: <event key>` , `- add:` or `- merge: [key, key]`")])
        }
        var out: [Override] = []
        var errors: [Diagnostic] = []
        for item in items {
            do throws(Diagnostic) {
                out.append(try parse(item, doc: doc, entityIDs: entityIDs))
            } catch {
                errors.append(error)
            }
        }
        if keepGoing { return (out, errors.map { ContentLoader.skippedWarning($0, what: "override") }) }
        if !errors.isEmpty { throw BuildFailure(errors) }
        return (out, [])
    }

    private func parse(_ item: Node, doc: YAMLDocument, entityIDs: Set<String>) throws(Diagnostic) -> Override {
        guard case .mapping(let map) = item else {
            throw doc.diagnostic(item, "each override must be a mapping", hint: "write `- match: <key>` followed by the fields to change")
        }
        let line = doc.fileLine(of: item) ?? 0
        func field(_ k: String) -> Node? { YAMLDocument.value(map, k) }

        func value(_ node: Node?, _ key: String) throws(Diagnostic) -> TemporalValue? {
            guard let text = try doc.string(node, key: key) else { return nil }
            guard let v = TemporalValue(string: text) else {
                throw doc.diagnostic(node, "'\(text)' is not a date value", hint: "use YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn, YYYY-Hn or YYYY-Www")
            }
            return v
        }
        func mod(_ node: Node?) throws(Diagnostic) -> TemporalModifier? {
            guard let text = try doc.string(node, key: "mod") else { return nil }
            guard let m = TemporalModifier(rawValue: text.uppercased()) else {
                throw doc.diagnostic(node, "mod '\(text)' is not START, MID or END", hint: "write mod: START, MID or END, or leave it out")
            }
            return m
        }
        func kind(_ node: Node?) throws(Diagnostic) -> EventKind? {
            guard let text = try doc.string(node, key: "kind") else { return nil }
            guard let k = EventKind(rawValue: text) ?? EventKind.allCases.first(where: { $0.slug == text }) else {
                throw doc.diagnostic(node, "unknown event kind '\(text)'",
                                     hint: "use one of: \(EventKind.allCases.map(\.rawValue).joined(separator: "、"))")
            }
            return k
        }
        func entities(_ node: Node?) throws(Diagnostic) -> [String]? {
            guard node != nil else { return nil }
            let ids = try doc.strings(node, key: "entities")
            for id in ids where !entityIDs.contains(id) {
                throw doc.diagnostic(node, "unknown entity id '\(id)'", hint: "use an id from entities.yml")
            }
            return ids
        }

        if let mergeNode = field("merge") {
            let keys = try doc.strings(mergeNode, key: "merge")
            guard keys.count >= 2 else {
                throw doc.diagnostic(mergeNode, "merge needs at least two event keys", hint: "write `merge: [key1, key2]`")
            }
            return Override(action: .merge(keys: keys), line: line)
        }
        if let addNode = field("add") {
            guard case .mapping(let add) = addNode else {
                throw doc.diagnostic(addNode, "`add` must be a mapping with article, date, headline and entities")
            }
            func f(_ k: String) -> Node? { YAMLDocument.value(add, k) }
            guard let article = try doc.string(f("article"), key: "article") else {
                throw doc.diagnostic(addNode, "an added event needs `article` (the slug of the article it comes from)")
            }
            guard let date = try value(f("date"), "date") else {
                throw doc.diagnostic(addNode, "an added event needs `date`", hint: "e.g. date: 2024-05-15")
            }
            guard let headline = try doc.string(f("headline"), key: "headline"), !headline.isEmpty else {
                throw doc.diagnostic(addNode, "an added event needs `headline`")
            }
            let ids = try entities(f("entities")) ?? []
            guard !ids.isEmpty else {
                throw doc.diagnostic(addNode, "an added event needs at least one entity", hint: "e.g. entities: [doubao]")
            }
            return Override(action: .add(article: article, date: date, mod: try mod(f("mod")), end: try value(f("end"), "end"),
                                         headline: headline, kind: try kind(f("kind")), entities: ids,
                                         quote: try doc.string(f("quote"), key: "quote")), line: line)
        }
        guard let key = try doc.string(field("match"), key: "match") else {
            throw doc.diagnostic(item, "an override needs `match: <event key>`, `add:` or `merge:`",
                                 hint: "`sitegen events` lists every event with its key")
        }
        if let suppress = field("suppress"), suppress.bool == true {
            return Override(action: .suppress(key: key), line: line)
        }
        let modNode = field("mod"), endNode = field("end"), kindNode = field("kind")
        return Override(action: .correct(
            key: key, date: try value(field("date"), "date"),
            mod: modNode == nil ? nil : .some(try mod(modNode)),
            end: endNode == nil ? nil : .some(try value(endNode, "end")),
            headline: try doc.string(field("headline"), key: "headline"),
            kind: kindNode == nil ? nil : .some(try kind(kindNode)),
            entities: try entities(field("entities"))), line: line)
    }
}
