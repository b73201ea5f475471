/// Per-page metadata for the `<head>`: absolute URL, Open Graph type, publication time and
/// JSON-LD (schema.org): `NewsArticle` on article pages, `Event` on event permalinks, `ItemList`
/// on the year, entity and index pages, `BreadcrumbList` on every page below the home page.
/// The JSON-LD text goes through `JSONText.quote`, so it cannot close its `<script>` element.
extension SiteRenderer {
    /// Keys merged into the template's `page` context: `absoluteURL`, `ogType`, and when they
    /// apply `published` (article:published_time), `jsonld` and `noindex`.
    func pageMetadata(path: String, title: String) -> [String: Any] {
        var out: [String: Any] = ["absoluteURL": absoluteURL(path), "ogType": "website"]
        let parts = path.split(separator: "/").map(String.init)
        var nodes: [JSONValue] = []
        switch parts.count {
        case 1 where path == "404.html":
            out["noindex"] = true
        case _ where parts.first == "review":
            // The editors' review pages are not for search engines.
            out["noindex"] = true
        case 2 where parts[0] == "events" && parts[1].hasSuffix(".html"):
            // An event's permalink: events/<id>.html.
            if let i = graph.indexByID[String(parts[1].dropLast(".html".count))] {
                let e = graph.events[i]
                out["ogType"] = "article"
                nodes += [eventJSONLD(e), breadcrumbs([("\(e.date.year)年", yearPath(e.date.year)), (e.headline, path)])]
            }
        case 2 where parts[1] == "index.html":
            if parts[0] == "entities" {
                nodes.append(itemList(title, graph.entities.map { ($0.name, entityPath($0.id)) }))
            } else if parts[0] == "articles" {
                nodes.append(itemList(title, articles.map { ($0.meta.title, articlePath($0.meta.slug)) }))
            }
            if !nodes.isEmpty { nodes.append(breadcrumbs([(title, path)])) }
        case 3 where parts[2] == "index.html":
            switch parts[0] {
            case "years":
                if let y = Int(parts[1]) {
                    nodes += [eventItemList(title, graph.events.indices.filter { graph.events[$0].date.year == y }), breadcrumbs([(title, path)])]
                }
            case "entities":
                if let e = graph.entityByID[parts[1]] {
                    nodes += [eventItemList(title, graph.eventsByEntity[e.id] ?? []), breadcrumbs([("实体", "entities/index.html"), (e.name, path)])]
                }
            case "articles":
                if let a = articleBySlug[parts[1]] {
                    out["ogType"] = "article"
                    out["published"] = a.meta.date.iso
                    nodes += [newsArticle(a), breadcrumbs([("文章", "articles/index.html"), (a.meta.title, path)])]
                }
            case "kinds":
                if let k = EventKind.allCases.first(where: { $0.slug == parts[1] }) {
                    nodes += [eventItemList(title, graph.events.indices.filter { graph.events[$0].kind == k }),
                              breadcrumbs([("事件类型", "kinds/index.html"), (title, path)])]
                }
            case "entity-kinds":
                if let k = EntityKind(rawValue: parts[1]) {
                    let list = graph.events.indices.filter { graph.events[$0].entities.contains { graph.entityByID[$0]?.kind == k } }
                    nodes += [eventItemList(title, list), breadcrumbs([("实体类别", "entity-kinds/index.html"), (title, path)])]
                }
            default:
                break
            }
        case let n where (n == 4 || n == 5) && parts[0] == "years" && parts.last == "index.html":
            // A month view (years/YYYY/MM/, its pages years/YYYY/MM/N/) or a year's periods: the
            // breadcrumbs (the page itself lists its events).
            if let y = Int(parts[1]) {
                // A month's page: the events it lists (its slice of the month, when paged).
                let list = Int(parts[2]).flatMap { eventsByMonth[y * 12 + $0 - 1] }
                    ?? (parts[2] == "periods" ? graph.events.indices.filter {
                        graph.events[$0].date.year == y && !isMonthly(graph.events[$0]) } : nil)
                if let list {
                    let page = parts.count == 5 ? Int(parts[3]) ?? 1 : 1
                    let slice = Array(list.dropFirst((page - 1) * Self.pageSize).prefix(Self.pageSize))
                    nodes.append(eventItemList(title, slice))
                }
                nodes.append(breadcrumbs([("\(y)年", yearPath(y)), (title, path)]))
            }
        default:
            break
        }
        if !nodes.isEmpty {
            out["jsonld"] = JSONValue.obj([("@context", .string("https://schema.org")), ("@graph", .array(nodes))]).scriptCompact
        }
        return out
    }

    func schemaType(_ kind: EntityKind) -> String {
        switch kind {
        case .company: "Corporation"
        case .product: "Product"
        case .person: "Person"
        case .organization: "Organization"
        case .policy: "Legislation"
        }
    }

    func entityJSONLD(_ e: Entity) -> JSONValue {
        .obj([("@type", .string(schemaType(e.kind))), ("name", .string(e.name)), ("url", .string(absoluteURL(entityPath(e.id))))])
    }

    /// At most this many `ListItem`s per page, so a listing of thousands of events does not carry
    /// megabytes of JSON-LD; `numberOfItems` still gives the full count.
    static let jsonLDListLimit = 100

    /// An `ItemList` of events (「date：headline」), given as indices into the graph's events: only
    /// the listed ones get their text made (a year or kind page matches thousands of events and
    /// lists 100), the count is of all.
    func eventItemList(_ name: String, _ indices: [Int]) -> JSONValue {
        let items = indices.prefix(Self.jsonLDListLimit).map { i -> (name: String, path: String) in
            let e = graph.events[i]
            return (dateText(e) + "：" + e.headline, eventPath(e.id))
        }
        return itemList(name, items, count: indices.count)
    }

    func itemList(_ name: String, _ items: [(name: String, path: String)], count: Int? = nil) -> JSONValue {
        .obj([
            ("@type", .string("ItemList")),
            ("name", .string(name)),
            ("numberOfItems", .int(count ?? items.count)),
            ("itemListElement", .array(items.prefix(Self.jsonLDListLimit).enumerated().map { k, it in
                .obj([("@type", .string("ListItem")), ("position", .int(k + 1)), ("name", .string(it.name)),
                      ("url", .string(absoluteURL(it.path)))])
            })),
        ])
    }

    /// Home › the given trail.
    func breadcrumbs(_ trail: [(name: String, path: String)]) -> JSONValue {
        let all = [(name: config.title, path: "index.html")] + trail
        return .obj([
            ("@type", .string("BreadcrumbList")),
            ("itemListElement", .array(all.enumerated().map { k, it in
                .obj([("@type", .string("ListItem")), ("position", .int(k + 1)), ("name", .string(it.name)),
                      ("item", .string(absoluteURL(it.path)))])
            })),
        ])
    }

    func newsArticle(_ a: ParsedArticle) -> JSONValue {
        let url = absoluteURL(articlePath(a.meta.slug))
        var mentioned: [String] = []
        for i in graph.eventsByArticle[a.meta.slug] ?? [] {
            for id in graph.events[i].entities where !mentioned.contains(id) { mentioned.append(id) }
        }
        let authors: JSONValue? = a.meta.authors.isEmpty ? nil
            : .array(a.meta.authors.map { JSONValue.obj([("@type", .string("Person")), ("name", .string($0))]) })
        let publisher: JSONValue? = a.meta.source.map { JSONValue.obj([("@type", .string("Organization")), ("name", .string($0))]) }
        let basedOn: JSONValue? = a.meta.sourceURL.flatMap { Feeds.isHTTP($0) ? JSONValue.string($0) : nil }
        let keywords: JSONValue? = a.meta.tags.isEmpty ? nil : .string(a.meta.tags.joined(separator: ", "))
        let mentions: [JSONValue] = mentioned.compactMap { graph.entityByID[$0].map(entityJSONLD) }
        var pairs: [(String, JSONValue?)] = [
            ("@type", .string("NewsArticle")),
            ("@id", .string(url + "#article")),
            ("headline", .string(a.meta.title)),
            ("datePublished", .string(a.meta.date.iso)),
            ("inLanguage", .string(config.language)),
            ("url", .string(url)),
            ("mainEntityOfPage", .string(url)),
        ]
        pairs += [("description", JSONValue.str(a.meta.summary)), ("author", authors), ("publisher", publisher),
                  ("isBasedOn", basedOn), ("keywords", keywords), ("mentions", mentions.isEmpty ? nil : .array(mentions))]
        return .obj(pairs)
    }

    /// schema.org Event with `startDate` (and `endDate`) at the event's own precision: 2024-05-15,
    /// 2024-05, 2024, 2024-W20; a quarter or half as its first and last month.
    func eventJSONLD(_ e: TimelineEvent) -> JSONValue {
        let url = absoluteURL(eventPath(e.id))
        let endDate: String? = {
            if let end = e.end { return ExportDate.iso8601(end, last: true) }
            switch e.date.unit {
            case .quarter, .half: return ExportDate.iso8601(e.date, last: true)
            default: return nil
            }
        }()
        return .obj([
            ("@type", .string("Event")),
            ("@id", .string(url + "#event")),
            ("name", .string(e.headline)),
            ("startDate", .string(ExportDate.iso8601(e.date))),
            ("endDate", JSONValue.str(endDate)),
            ("description", JSONValue.str(e.sources.first?.quote)),
            ("url", .string(url)),
            ("about", .array((e.entities + e.impliedEntities).compactMap { graph.entityByID[$0].map(entityJSONLD) })),
            ("subjectOf", .array(sourceArticles(e).map { a in
                .obj([("@type", .string("NewsArticle")), ("headline", .string(a.meta.title)),
                      ("datePublished", .string(a.meta.date.iso)),
                      ("url", .string(absoluteURL(articlePath(a.meta.slug), fragment: "e-" + e.id)))])
            })),
        ])
    }
}
