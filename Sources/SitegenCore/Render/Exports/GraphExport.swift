/// The event graph for graph tools: `data/graph.json` in JSON Graph Format (v2: nodes keyed by
/// id) and `data/graph.gexf` in GEXF 1.3 for Gephi, with the same nodes and edges.
///
/// Nodes: events (`event:<id>`), entities (`entity:<id>`) and articles (`article:<slug>`).
/// Edges, each with a relation name:
/// - `mentions`: event → entity named in its text (`implied` when only a product's parent);
/// - `reported_by`: event → article that reports it;
/// - `parent_of`: entity → child entity (字节跳动 → 豆包);
/// - `follows_up`: event → the earlier event it follows (随后, 跟进…);
/// - `same_entity_next`: event → the next event of the same entity's timeline.
///
/// Both files stay linear in the number of events and lean: every node and edge is one line,
/// an edge carries only its ends, its relation and short attributes (the quote of a report is in
/// `data/events.json`, not repeated on the edge), JSON edges take the graph's `directed` instead
/// of repeating it, and the GEXF declares `forecast` and `implied` with the default "false" and
/// writes them only when true. No relation links all events of a day to each other (that would
/// grow with the square of a busy day); events of a day are found by their `date`.
enum GraphExport {
    struct Node {
        var id: String
        var label: String
        var type: String
        /// Ordered key/value metadata (strings; nil values left out).
        var meta: [(String, String?)]
        var start: CivilDate?
        var end: CivilDate?
    }

    struct Edge {
        var source: String
        var target: String
        var relation: String
        var meta: [(String, String?)]
    }

    static func eventNode(_ id: String) -> String { "event:" + id }
    static func entityNode(_ id: String) -> String { "entity:" + id }
    static func articleNode(_ slug: String) -> String { "article:" + slug }

    /// Every node, in order: events, entities, articles. Made one at a time, never kept: at
    /// 10,000 articles the graph has 152,000 nodes and 700,000 edges, and holding them (as the
    /// exports once did, shared by both formats) was a quarter of the build's peak memory.
    static func forEachNode(_ r: SiteRenderer, _ body: (Node) -> Void) {
        let g = r.graph
        for e in g.events {
            let span = r.span(e)
            body(Node(id: eventNode(e.id), label: e.headline, type: "event", meta: [
                ("date", e.date.string), ("precision", e.date.precision.name), ("mod", e.mod?.rawValue),
                ("end", e.end?.string), ("display_date", r.dateText(e)), ("kind", e.kind?.rawValue),
                ("forecast", e.isForecast ? "true" : "false"), ("url", r.absoluteURL(r.eventPath(e.id))),
            ], start: span.first, end: span.last))
        }
        for en in g.entities {
            body(Node(id: entityNode(en.id), label: en.name, type: "entity", meta: [
                ("entity_kind", en.kind.rawValue), ("url", r.absoluteURL(r.entityPath(en.id))),
            ]))
        }
        for a in r.articles {
            body(Node(id: articleNode(a.meta.slug), label: a.meta.title, type: "article", meta: [
                ("date", a.meta.date.iso), ("publisher", a.meta.source), ("source_url", a.meta.sourceURL),
                ("url", r.absoluteURL(r.articlePath(a.meta.slug))),
            ], start: a.meta.date, end: a.meta.date))
        }
    }

    static func nodeCount(_ r: SiteRenderer) -> Int { r.graph.events.count + r.graph.entities.count + r.articles.count }

    /// Every edge, in order, made one at a time (see `forEachNode`). Each is handed over as a
    /// function that makes it, so counting them (`edgeCount`) makes none.
    static func forEachEdge(_ r: SiteRenderer, _ body: (_ make: () -> Edge) -> Void) {
        let g = r.graph
        for (i, e) in g.events.enumerated() {
            for id in e.entities where g.entityByID[id] != nil {
                body { Edge(source: eventNode(e.id), target: entityNode(id), relation: "mentions", meta: [("implied", "false")]) }
            }
            for id in e.impliedEntities where g.entityByID[id] != nil {
                body { Edge(source: eventNode(e.id), target: entityNode(id), relation: "mentions", meta: [("implied", "true")]) }
            }
            var reported: Set<String> = []
            for s in e.sources where r.articleBySlug[s.articleSlug] != nil && reported.insert(s.articleSlug).inserted {
                body { Edge(source: eventNode(e.id), target: articleNode(s.articleSlug), relation: "reported_by",
                            meta: [("line", String(s.line))]) }
            }
            if let j = g.followsUp[i] {
                body { Edge(source: eventNode(e.id), target: eventNode(g.events[j].id), relation: "follows_up", meta: []) }
            }
        }
        for en in g.entities {
            if let p = en.parent, g.entityByID[p] != nil {
                body { Edge(source: entityNode(p), target: entityNode(en.id), relation: "parent_of", meta: []) }
            }
        }
        for en in g.entities {
            guard let chain = g.eventsByEntity[en.id], chain.count > 1 else { continue }
            for k in 1..<chain.count {
                body { Edge(source: eventNode(g.events[chain[k - 1]].id), target: eventNode(g.events[chain[k]].id),
                            relation: "same_entity_next", meta: [("entity", en.id)]) }
            }
        }
    }

    /// The number of edges `forEachEdge` gives (the GEXF header states it before the list).
    static func edgeCount(_ r: SiteRenderer) -> Int {
        var n = 0
        forEachEdge(r) { _ in n += 1 }
        return n
    }

    // MARK: JSON Graph Format

    /// `data/graph.json`.
    static func jsonGraph(_ r: SiteRenderer, into out: inout [UInt8], drain: (inout [UInt8]) -> Void) {
        func meta(_ type: String?, _ m: [(String, String?)]) -> JSONValue {
            .obj((type.map { [("type", JSONValue.string($0))] } ?? []) + m.map { ($0.0, $0.1.map { JSONValue.string($0) }) })
        }
        let graph = JSONValue.obj([
            ("graph", .obj([
                ("id", .string(r.absoluteURL("data/graph.json"))),
                ("label", .string(r.config.title)),
                ("directed", .bool(true)),
                ("type", .string("sitegen-event-graph")),
                ("metadata", .obj([("generator", .string("sitegen")), ("language", .string(r.config.language)),
                                   ("home_page_url", .string(r.absoluteURL("index.html")))])),
                ("nodes", .generatedObject { yield in
                    forEachNode(r) { n in yield(n.id, .obj([("label", .string(n.label)), ("metadata", meta(n.type, n.meta))])) }
                }),
                // In the order of the GEXF edges (r1, r2, …); directed, as the graph says.
                ("edges", .generatedArray { yield in
                    forEachEdge(r) { make in
                        let e = make()
                        yield(.obj([("source", .string(e.source)), ("target", .string(e.target)), ("relation", .string(e.relation)),
                                    ("metadata", e.meta.isEmpty ? nil : meta(nil, e.meta))]))
                    }
                }),
            ])),
        ])
        // Indented down to the node and edge lists; each node and edge compact on its own line.
        graph.prettyFile(compactFrom: 3, into: &out, drain: drain)
    }

    // MARK: GEXF 1.3

    /// Node attribute columns, in order; all strings.
    static let nodeColumns = ["type", "date", "precision", "mod", "end", "display_date", "kind", "forecast",
                              "entity_kind", "publisher", "source_url", "url"]
    static let edgeColumns = ["relation", "implied", "line", "entity"]
    /// Column defaults, declared in the GEXF attribute list: a node or edge with the default value
    /// leaves the attvalue out (GEXF readers fill it in), since nearly all have it.
    static let columnDefaults = ["forecast": "false", "implied": "false"]

    static func attributeDeclaration(_ id: String, _ title: String) -> String {
        let head = "      <attribute id=\"\(id)\" title=\"\(title)\" type=\"string\""
        guard let d = columnDefaults[title] else { return head + "/>\n" }
        return head + "><default>\(XMLText.escape(d))</default></attribute>\n"
    }

    static let nodeColumnIndex = Dictionary(uniqueKeysWithValues: nodeColumns.enumerated().map { ($1, $0) })
    static let edgeColumnIndex = Dictionary(uniqueKeysWithValues: edgeColumns.enumerated().map { ($1, $0) })

    /// The `<attvalue>`s of a node or edge: for each column in order, the first value given for it,
    /// unless it is the column's default. Values normally come in column order already and are
    /// written as they come; otherwise each column looks its value up.
    static func attributeValues(_ values: [(String, String?)], columns: [String], index: [String: Int],
                                prefix: String, into out: inout [UInt8]) {
        func write(_ column: Int, _ v: String) {
            guard v != columnDefaults[columns[column]] else { return }
            out += "<attvalue for=\"".utf8
            out += prefix.utf8
            out += String(column).utf8
            out += "\" value=\"".utf8
            XMLText.append(v, into: &out)
            out += "\"/>".utf8
        }
        var last = -1
        let ordered = values.allSatisfy { pair in
            guard let c = index[pair.0], c > last else { return index[pair.0] == nil }
            last = c
            return true
        }
        if ordered {
            for (key, v) in values { if let c = index[key], let v { write(c, v) } }
        } else {
            for (c, col) in columns.enumerated() {
                if let v = values.first(where: { $0.0 == col })?.1 { write(c, v) }
            }
        }
    }

    /// `data/graph.gexf`.
    static func gexf(_ r: SiteRenderer, into out: inout [UInt8], drain: (inout [UInt8]) -> Void) {
        // Each node and edge is written as text, then its bytes go out (see `OutputFile.Producer`).
        func flush() {
            out.append(contentsOf: x.utf8)
            x.removeAll(keepingCapacity: true)
            drain(&out)
        }
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        x += "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
        x += "xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n"
        x += "  <meta lastmodifieddate=\"\(r.latestArticleDate.iso)\">\n"
        x += "    <creator>sitegen</creator>\n"
        x += "    <description>\(XMLText.escape(r.config.title + (r.config.description.isEmpty ? "" : "：" + r.config.description)))</description>\n"
        x += "  </meta>\n"
        x += "  <graph defaultedgetype=\"directed\" mode=\"dynamic\" timeformat=\"date\" timerepresentation=\"interval\">\n"
        x += "    <attributes class=\"node\" mode=\"static\">\n"
        for (k, c) in nodeColumns.enumerated() { x += attributeDeclaration("n\(k)", c) }
        x += "    </attributes>\n"
        x += "    <attributes class=\"edge\" mode=\"static\">\n"
        for (k, c) in edgeColumns.enumerated() { x += attributeDeclaration("r\(k)", c) }
        x += "    </attributes>\n"
        // One line per node and per edge.
        x += "    <nodes count=\"\(nodeCount(r))\">\n"
        flush()
        // Nodes and edges are written straight into bytes: building each line as Strings (escaped
        // copies, interpolations, a values array per line) was 3 s of CPU for the 850,000 lines
        // at 10,000 articles.
        forEachNode(r) { n in
            out += "      <node id=\"".utf8
            XMLText.append(n.id, into: &out)
            out += "\" label=\"".utf8
            XMLText.append(n.label, into: &out)
            out += "\"".utf8
            if let s = n.start { out += " start=\"".utf8; out += s.iso.utf8; out += "\"".utf8 }
            if let e = n.end { out += " end=\"".utf8; out += e.iso.utf8; out += "\"".utf8 }
            out += "><attvalues>".utf8
            attributeValues([("type", n.type as String?)] + n.meta, columns: nodeColumns, index: nodeColumnIndex,
                            prefix: "n", into: &out)
            out += "</attvalues></node>\n".utf8
            drain(&out)
        }
        x += "    </nodes>\n"
        x += "    <edges count=\"\(edgeCount(r))\">\n"
        flush()
        var k = 0
        forEachEdge(r) { make in
            let e = make()
            // The relation is the GEXF 1.3 edge kind and, for tools that read only attributes, a column.
            k += 1
            out += "      <edge id=\"r".utf8
            out += String(k).utf8
            out += "\" source=\"".utf8
            XMLText.append(e.source, into: &out)
            out += "\" target=\"".utf8
            XMLText.append(e.target, into: &out)
            out += "\" kind=\"".utf8
            out += e.relation.utf8
            out += "\"><attvalues>".utf8
            attributeValues([("relation", e.relation as String?)] + e.meta, columns: edgeColumns, index: edgeColumnIndex,
                            prefix: "r", into: &out)
            out += "</attvalues></edge>\n".utf8
            drain(&out)
        }
        x += "    </edges>\n  </graph>\n</gexf>\n"
        flush()
    }
}
