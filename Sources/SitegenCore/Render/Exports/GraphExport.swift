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

    static func build(_ r: SiteRenderer) -> (nodes: [Node], edges: [Edge]) {
        var nodes: [Node] = []
        var edges: [Edge] = []
        let g = r.graph
        for e in g.events {
            let span = r.span(e)
            nodes.append(Node(id: eventNode(e.id), label: e.headline, type: "event", meta: [
                ("date", e.date.string), ("precision", e.date.precision.name), ("mod", e.mod?.rawValue),
                ("end", e.end?.string), ("display_date", r.dateText(e)), ("kind", e.kind?.rawValue),
                ("forecast", e.isForecast ? "true" : "false"), ("url", r.absoluteURL(r.eventPath(e.id))),
            ], start: span.first, end: span.last))
        }
        for en in g.entities {
            nodes.append(Node(id: entityNode(en.id), label: en.name, type: "entity", meta: [
                ("entity_kind", en.kind.rawValue), ("url", r.absoluteURL(r.entityPath(en.id))),
            ]))
        }
        for a in r.articles {
            nodes.append(Node(id: articleNode(a.meta.slug), label: a.meta.title, type: "article", meta: [
                ("date", a.meta.date.iso), ("publisher", a.meta.source), ("source_url", a.meta.sourceURL),
                ("url", r.absoluteURL(r.articlePath(a.meta.slug))),
            ], start: a.meta.date, end: a.meta.date))
        }
        for (i, e) in g.events.enumerated() {
            for id in e.entities where g.entityByID[id] != nil {
                edges.append(Edge(source: eventNode(e.id), target: entityNode(id), relation: "mentions", meta: [("implied", "false")]))
            }
            for id in e.impliedEntities where g.entityByID[id] != nil {
                edges.append(Edge(source: eventNode(e.id), target: entityNode(id), relation: "mentions", meta: [("implied", "true")]))
            }
            var reported: Set<String> = []
            for s in e.sources where r.articleBySlug[s.articleSlug] != nil && reported.insert(s.articleSlug).inserted {
                edges.append(Edge(source: eventNode(e.id), target: articleNode(s.articleSlug), relation: "reported_by",
                                  meta: [("quote", s.quote), ("line", String(s.line))]))
            }
            if let j = g.followsUp[i] {
                edges.append(Edge(source: eventNode(e.id), target: eventNode(g.events[j].id), relation: "follows_up", meta: []))
            }
        }
        for en in g.entities {
            if let p = en.parent, g.entityByID[p] != nil {
                edges.append(Edge(source: entityNode(p), target: entityNode(en.id), relation: "parent_of", meta: []))
            }
        }
        for en in g.entities {
            guard let chain = g.eventsByEntity[en.id], chain.count > 1 else { continue }
            for k in 1..<chain.count {
                edges.append(Edge(source: eventNode(g.events[chain[k - 1]].id), target: eventNode(g.events[chain[k]].id),
                                  relation: "same_entity_next", meta: [("entity", en.id)]))
            }
        }
        return (nodes, edges)
    }

    // MARK: JSON Graph Format

    static func jsonGraph(_ r: SiteRenderer) -> String {
        let (nodes, edges) = build(r)
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
                ("nodes", .object(nodes.map { n in (n.id, .obj([("label", .string(n.label)), ("metadata", meta(n.type, n.meta))])) })),
                ("edges", .array(edges.enumerated().map { k, e in
                    .obj([("id", .string("r\(k + 1)")), ("source", .string(e.source)), ("target", .string(e.target)),
                          ("relation", .string(e.relation)), ("directed", .bool(true)),
                          ("metadata", e.meta.isEmpty ? nil : meta(nil, e.meta))])
                })),
            ])),
        ])
        return graph.pretty() + "\n"
    }

    // MARK: GEXF 1.3

    /// Node attribute columns, in order; all strings.
    static let nodeColumns = ["type", "date", "precision", "mod", "end", "display_date", "kind", "forecast",
                              "entity_kind", "publisher", "source_url", "url"]
    static let edgeColumns = ["relation", "implied", "quote", "line", "entity"]

    static func gexf(_ r: SiteRenderer) -> String {
        let (nodes, edges) = build(r)
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        x += "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
        x += "xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n"
        x += "  <meta lastmodifieddate=\"\(r.latestArticleDate.iso)\">\n"
        x += "    <creator>sitegen</creator>\n"
        x += "    <description>\(XMLText.escape(r.config.title + (r.config.description.isEmpty ? "" : "：" + r.config.description)))</description>\n"
        x += "  </meta>\n"
        x += "  <graph defaultedgetype=\"directed\" mode=\"dynamic\" timeformat=\"date\" timerepresentation=\"interval\">\n"
        x += "    <attributes class=\"node\" mode=\"static\">\n"
        for (k, c) in nodeColumns.enumerated() { x += "      <attribute id=\"n\(k)\" title=\"\(c)\" type=\"string\"/>\n" }
        x += "    </attributes>\n"
        x += "    <attributes class=\"edge\" mode=\"static\">\n"
        for (k, c) in edgeColumns.enumerated() { x += "      <attribute id=\"r\(k)\" title=\"\(c)\" type=\"string\"/>\n" }
        x += "    </attributes>\n"
        x += "    <nodes>\n"
        for n in nodes {
            x += "      <node id=\"\(XMLText.escape(n.id))\" label=\"\(XMLText.escape(n.label))\""
            if let s = n.start { x += " start=\"\(s.iso)\"" }
            if let e = n.end { x += " end=\"\(e.iso)\"" }
            x += ">\n        <attvalues>\n"
            let values = [("type", n.type as String?)] + n.meta
            for (k, c) in nodeColumns.enumerated() {
                if let v = values.first(where: { $0.0 == c })?.1 {
                    x += "          <attvalue for=\"n\(k)\" value=\"\(XMLText.escape(v))\"/>\n"
                }
            }
            x += "        </attvalues>\n      </node>\n"
        }
        x += "    </nodes>\n"
        x += "    <edges>\n"
        for (k, e) in edges.enumerated() {
            x += "      <edge id=\"r\(k + 1)\" source=\"\(XMLText.escape(e.source))\" target=\"\(XMLText.escape(e.target))\" "
            x += "label=\"\(e.relation)\" kind=\"\(e.relation)\">\n        <attvalues>\n"
            let values = [("relation", e.relation as String?)] + e.meta
            for (c, col) in edgeColumns.enumerated() {
                if let v = values.first(where: { $0.0 == col })?.1 {
                    x += "          <attvalue for=\"r\(c)\" value=\"\(XMLText.escape(v))\"/>\n"
                }
            }
            x += "        </attvalues>\n      </edge>\n"
        }
        x += "    </edges>\n  </graph>\n</gexf>\n"
        return x
    }
}
