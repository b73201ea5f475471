/// Applies editors' overrides to the extracted events (between extract and graph).
public struct OverrideApplier: Sendable {
    public struct Result: Sendable {
        public var events: [ExtractedEvent]
        /// Groups of source keys the graph must merge into one event.
        public var merges: [[String]]
        /// Overrides that matched nothing (the article changed, or the key is mistyped).
        public var unmatched: [Diagnostic]
    }

    public var overrides: [Override]
    public var file: String

    public init(overrides: [Override], file: String = "overrides.yml") {
        self.overrides = overrides
        self.file = file
    }

    /// `events` is taken over, not copied: on a large site it is the biggest value of the build
    /// before render, and without overrides it is returned as it came.
    public func apply(_ events: consuming [ExtractedEvent], articleSlugs: Set<String>) -> Result {
        guard !overrides.isEmpty else { return Result(events: events, merges: [], unmatched: []) }
        var index: [String: Int] = [:]
        for (i, e) in events.enumerated() { index[e.source.key] = i }
        var suppressed: Set<Int> = []
        var merges: [[String]] = []
        var unmatched: [Diagnostic] = []
        func missing(_ o: Override, _ key: String) {
            unmatched.append(Diagnostic(.warning, file: file, line: o.line,
                                        message: "override matches no event: key '\(key)' was not found",
                                        hint: "the statement may have been edited; run `sitegen events` to see the current keys"))
        }
        for o in overrides {
            switch o.action {
            case .suppress(let key):
                guard let i = index[key] else { missing(o, key); continue }
                suppressed.insert(i)
            case let .correct(key, date, mod, end, headline, kind, entities):
                guard let i = index[key] else { missing(o, key); continue }
                if let date {
                    events[i].date.value = date
                    events[i].date.mod = nil
                    events[i].date.end = nil
                    events[i].date.endMod = nil
                }
                if let mod { events[i].date.mod = mod }
                if let end { events[i].date.end = end }
                if let headline { events[i].headline = headline }
                if let kind { events[i].kind = kind }
                if let entities { events[i].entities = entities }
            case let .add(article, date, mod, end, headline, kind, entities, quote):
                guard articleSlugs.contains(article) else {
                    unmatched.append(Diagnostic(.warning, file: file, line: o.line, message: "added event names article '\(article)', which does not exist",
                                                hint: "use the slug of an article in content/articles"))
                    continue
                }
                let key = "\(article):added-\(StableHash.hex(StableHash.of(date.string, headline), digits: 8))"
                events.append(ExtractedEvent(
                    date: TemporalExpression(text: date.string, range: 0..<0, value: date, mod: mod, end: end),
                    headline: headline, entities: entities, kind: kind, isForecast: false, isFollowUp: false,
                    source: EventSource(articleSlug: article, quote: quote ?? headline, blockIndex: -1, line: 0, key: key)))
            case .merge(let keys):
                let found = keys.filter { index[$0] != nil }
                for k in keys where index[k] == nil { missing(o, k) }
                if found.count >= 2 { merges.append(found) }
            }
        }
        guard !suppressed.isEmpty else { return Result(events: events, merges: merges, unmatched: unmatched) }
        var kept: [ExtractedEvent] = []
        kept.reserveCapacity(events.count - suppressed.count)
        for (i, e) in events.enumerated() where !suppressed.contains(i) { kept.append(e) }
        return Result(events: kept, merges: merges, unmatched: unmatched)
    }
}
