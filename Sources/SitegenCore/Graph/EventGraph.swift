/// Stage 4, graph: merges the events of all articles into one chronological timeline and links
/// them — per-entity chains, same-day events, follow-ups.
public struct EventGraph: Sendable {
    public var events: [TimelineEvent] { didSet { eventsByArticle = Self.indexByArticle(events) } }
    /// Article slug → indices of the events it reports, ascending (kept in step with `events`).
    /// The JSON-LD of an article page lists the entities of its events: scanning every event's
    /// sources for every article page was 1.7% of build CPU at 2,000 articles.
    public private(set) var eventsByArticle: [String: [Int]] = [:]

    static func indexByArticle(_ events: [TimelineEvent]) -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        for i in events.indices {
            for src in events[i].sources where out[src.articleSlug]?.last != i { out[src.articleSlug, default: []].append(i) }
        }
        return out
    }
    public var entities: [Entity]
    public var entityByID: [String: Entity]
    /// Entity id → indices into `events`, chronological; includes events of its children
    /// (an entity page for 字节跳动 shows 豆包's events).
    public var eventsByEntity: [String: [Int]]
    /// Entity id → ids of its direct children.
    public var children: [String: [String]]
    public var indexByID: [String: Int]
    /// Follow-up links: event index → the index of the event it follows.
    public var followsUp: [Int: Int] { didSet { followedBy = Self.invert(followsUp) } }
    /// `followsUp` inverted: event index → the events that follow it up, ascending (kept in step, so
    /// `related` does not scan every link for every event).
    public private(set) var followedBy: [Int: [Int]] = [:]

    static func invert(_ links: [Int: Int]) -> [Int: [Int]] {
        var out: [Int: [Int]] = [:]
        for (from, to) in links { out[to, default: []].append(from) }
        for k in out.keys { out[k]!.sort() }
        return out
    }

    public init(extracted: [ExtractedEvent], entities catalogue: [Entity], articleDates: [String: CivilDate],
                forcedMerges: [[String]] = []) {
        // Actors the catalogue lacks, found in the text, join it as provisional entities (first wording wins).
        var entities = catalogue
        var known = Set(catalogue.map(\.id))
        for e in extracted {
            for p in e.provisionalEntities where known.insert(p.id).inserted { entities.append(p) }
        }
        self.entities = entities
        let byID = Dictionary(entities.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        entityByID = byID
        var kids: [String: [String]] = [:]
        for e in entities { if let p = e.parent { kids[p, default: []].append(e.id) } }
        children = kids

        // Groups are indices into `extracted`: copies of the statements would double the largest
        // value of the build while the graph is made.
        let merged = Self.merge(extracted, entityByID: byID, forced: forcedMerges)
        // Each event is made from its own group alone: on all cores.
        var timeline = Parallel.map(merged.count, chunk: 256) { g -> TimelineEvent in
            let members = merged[g]
            let group = members.lazy.map { extracted[$0] }
            let first = extracted[members[0]]
            var entities: [String] = []
            for g in group { for e in g.entities where !entities.contains(e) { entities.append(e) } }
            let implied = Self.ancestors(of: entities, in: byID)
            // An actor is carried only if no source names it in its own sentence.
            let named = Set(group.flatMap { m in m.entities.filter { !m.carriedEntities.contains($0) } })
            let carried = entities.filter { !named.contains($0) }
            var mentions: [String] = []
            for m in group { for e in m.mentions where !entities.contains(e) && !mentions.contains(e) { mentions.append(e) } }
            // Sources that disagree on the date: the date most of them give wins (the earliest article's
            // on a tie), and each other source keeps its own.
            let leading = Self.majorityDate(group.map(\.date)) ?? first.date
            let sources = members.map { m -> EventSource in
                var src = extracted[m].source
                let d = extracted[m].date
                if d.value != leading.value || d.mod != leading.mod { src.reportedDate = d.value }
                return src
            }
            let id = "e" + StableHash.hex(StableHash.of(first.date.value.string, first.date.mod?.rawValue ?? "",
                                                        first.source.key), digits: 10)
            var event = TimelineEvent(id: id, date: leading.value, mod: leading.mod, end: leading.end,
                                      endMod: leading.endMod, headline: first.headline, entities: entities,
                                      impliedEntities: implied, kind: group.compactMap(\.kind).first,
                                      isForecast: group.allSatisfy(\.isForecast),
                                      isFollowUp: group.contains(where: \.isFollowUp), sources: sources)
            event.carriedEntities = carried
            event.mentions = mentions
            return event
        }
        // Sorted as a permutation of small keys: sorting the events themselves moved 141,000
        // large values with their reference counts (3% of a one-article rebuild). Ties keep
        // their order, as the stable sort of the events did.
        let sortKeys = timeline.map { (day: $0.sortDay, precision: $0.date.precision, id: $0.id) }
        let order = timeline.indices.sorted { a, b in
            let x = sortKeys[a], y = sortKeys[b]
            if x.day != y.day { return x.day < y.day }
            if x.precision != y.precision { return x.precision < y.precision }
            if x.id != y.id { return x.id < y.id }
            return a < b
        }
        timeline = order.map { timeline[$0] }
        // Ids are content hashes; two identical statements in one article would collide — suffix them.
        var seen: [String: Int] = [:]
        for i in timeline.indices {
            let n = seen[timeline[i].id, default: 0]
            seen[timeline[i].id] = n + 1
            if n > 0 { timeline[i].id += "-\(n + 1)" }
        }
        events = timeline
        eventsByArticle = Self.indexByArticle(timeline)
        indexByID = Dictionary(timeline.indices.map { (timeline[$0].id, $0) }, uniquingKeysWith: { a, _ in a })

        // The fields are read in place: iterating the events by value copied each one (retaining
        // its strings and arrays). An event's entities hold no repeats and its implied entities
        // are other ids (see `ancestors`), so each list gains the event once.
        var byEntity: [String: [Int]] = [:]
        for i in timeline.indices {
            for e in timeline[i].entities { byEntity[e, default: []].append(i) }
            for e in timeline[i].impliedEntities { byEntity[e, default: []].append(i) }
        }
        eventsByEntity = byEntity

        // A follow-up (随后, 跟进…) points at the latest earlier event reported by the same article.
        var follows: [Int: Int] = [:]
        var lastInArticle: [String: Int] = [:]
        for i in timeline.indices {
            let isFollowUp = timeline[i].isFollowUp
            for src in timeline[i].sources {
                if isFollowUp, let prev = lastInArticle[src.articleSlug], prev != i { follows[i] = prev }
                lastInArticle[src.articleSlug] = i
            }
        }
        followsUp = follows
        followedBy = Self.invert(follows)
    }

    /// The date given by most statements of a group; the first statement's among equals. An exact date
    /// beats 「近日」 (APPROX) from another source.
    static func majorityDate(_ all: [TemporalExpression]) -> TemporalExpression? {
        guard all.count > 1 else { return all.first }
        let exact = all.filter { $0.mod != .approx }
        let dates = exact.isEmpty ? all : exact
        var counts: [String: Int] = [:]
        for d in dates { counts[d.value.string + "|" + (d.mod?.rawValue ?? ""), default: 0] += 1 }
        var best: TemporalExpression?
        var bestCount = 0
        for d in dates {
            let c = counts[d.value.string + "|" + (d.mod?.rawValue ?? "")]!
            if c > bestCount { best = d; bestCount = c }
        }
        return best
    }

    static func ancestors(of ids: [String], in byID: [String: Entity]) -> [String] {
        var out: [String] = []
        for id in ids {
            var cur = byID[id]?.parent
            var guardCount = 0
            while let c = cur, guardCount < 32 {
                if !ids.contains(c) && !out.contains(c) { out.append(c) }
                cur = byID[c]?.parent
                guardCount += 1
            }
        }
        return out
    }

    /// The same happening reported twice becomes one event: same date value and modifier, the
    /// same main entity, and compatible wording (same kind, or similar text). Statements within one
    /// article are merged only when nearly identical.
    static func merge(_ events: [ExtractedEvent], entityByID: [String: Entity], forced: [[String]] = []) -> [[Int]] {
        // Only events with the same date, modifier and main entity can merge, so pairs are compared
        // within those buckets alone. (Bucketing by date only compared every pair of a busy date:
        // 28 s of a 10,000-article build went to the year 2024's bucket.)
        var buckets: [String: [Int]] = [:]
        for (i, e) in events.enumerated() {
            guard let main = mainEntity(e, entityByID) else { continue }
            buckets[e.date.value.string + "|" + (e.date.mod?.rawValue ?? "") + "|" + main, default: []].append(i)
        }
        var parent = Array(events.indices)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        // Within a bucket, each statement joins the first earlier group whose leading statement
        // it matches, compared on what the two say beyond the shared date and entity names (those
        // alone made any two statements look 30% alike); no chaining through a third statement.
        // Buckets are independent (each event is in one), so they are compared on all cores and
        // their joins applied afterwards in bucket order: the same groups as one pass in order.
        let shared = buckets.filter { $0.value.count > 1 }.sorted(by: { $0.key < $1.key }).map(\.value)
        let names = NamesLongestFirst(entityByID)
        let joins = Parallel.map(shared.count, chunk: 4) { b -> [(member: Int, leader: Int)] in
            let members = shared[b]
            var out: [(member: Int, leader: Int)] = []
            var leaders: [Int] = []
            var cores: [Int: [UInt64: Int]] = [:]
            func core(_ i: Int) -> [UInt64: Int] {
                if let c = cores[i] { return c }
                let c = bigrams(of: distinctiveText(events[i], names))
                cores[i] = c
                return c
            }
            for m in members {
                let y = events[m]
                var joined = false
                for leader in leaders {
                    let x = events[leader]
                    let sim = dice(core(leader), core(m))
                    let sameArticle = x.source.articleSlug == y.source.articleSlug
                    let sameKind = x.kind != nil && x.kind == y.kind
                    let otherKind = x.kind != nil && y.kind != nil && x.kind != y.kind
                    // Two articles: the same kind of happening, or (kinds unknown) similar wording.
                    // Different kinds (发布 vs 融资) or one article: only nearly the same words.
                    let compatible: Bool
                    if sameArticle {
                        // One article restating one happening: the same actor, day and kind.
                        compatible = sim >= 0.8 || (sameKind && (sim >= 0.4 || x.date.value.precision == .day))
                    } else if otherKind {
                        compatible = sim >= 0.8
                    } else {
                        compatible = sameKind || sim >= 0.3
                    }
                    if compatible {
                        out.append((m, leader))
                        joined = true
                        break
                    }
                }
                if !joined { leaders.append(m) }
            }
            return out
        }
        for bucketJoins in joins {
            for j in bucketJoins { parent[find(j.member)] = find(j.leader) }
        }
        for (a, b) in disagreeingDates(events, entityByID: entityByID, names: names) { parent[find(b)] = find(a) }
        // Editors' merges (overrides.yml) join events whatever their dates or wording.
        if !forced.isEmpty {
            var byKey: [String: Int] = [:]
            for (i, e) in events.enumerated() { byKey[e.source.key] = i }
            for group in forced {
                let members = group.compactMap { byKey[$0] }
                for m in members.dropFirst() { parent[find(m)] = find(members[0]) }
            }
        }
        var groups: [Int: [Int]] = [:]
        var order: [Int] = []
        for i in events.indices {
            let r = find(i)
            if groups[r] == nil { order.append(r) }
            groups[r, default: []].append(i)
        }
        return order.map { groups[$0]! }
    }

    /// The most specific entity: the first product named, else the first entity.
    static func mainEntity(_ e: ExtractedEvent, _ byID: [String: Entity]) -> String? {
        e.entities.first { byID[$0]?.kind == .product } ?? e.entities.first
    }

    /// Dice coefficient of character bigrams: wording similarity that needs no word segmentation.
    static func similarity(_ a: String, _ b: String) -> Double { dice(bigrams(of: a), bigrams(of: b)) }

    static func bigrams(of s: String) -> [UInt64: Int] {
        let u = s.unicodeScalars.filter { ChineseText.isIdeograph($0) || ChineseText.isDigit($0) || ChineseText.isASCIILetter($0) }.map(\.value)
        var out: [UInt64: Int] = [:]
        guard u.count > 1 else { return out }
        for i in 0..<(u.count - 1) { out[UInt64(u[i]) << 32 | UInt64(u[i + 1]), default: 0] += 1 }
        return out
    }

    static func dice(_ x: [UInt64: Int], _ y: [UInt64: Int]) -> Double {
        let total = x.values.reduce(0, +) + y.values.reduce(0, +)
        guard total > 0 else { return 0 }
        var common = 0
        for (k, v) in x { common += min(v, y[k] ?? 0) }
        return Double(2 * common) / Double(total)
    }

    /// The statement without its date expression and the names of its entities: what two
    /// statements of one bucket (same date, same main entity) do not share by construction.
    static func distinctiveText(_ e: ExtractedEvent, _ names: NamesLongestFirst) -> String {
        var text = e.source.quote
        if !e.date.text.isEmpty { text = TextSearch.replacingAll(e.date.text, in: text, with: " ") }
        for name in names.of(e.entities) { text = TextSearch.replacingAll(name, in: text, with: " ") }
        // Both scripts compare alike: 「發佈新模型」 and 「发布新模型」 share their bigrams.
        return LexiconFold.fold(text)
    }

    /// One happening that two articles date a day or two apart (「5月15日」 against 「5月16日」) is one
    /// event: the same main actor and kind, similar wording, no article in common, and no article that
    /// reports that actor's kind of happening on both days (which would make them two).
    static func disagreeingDates(_ events: [ExtractedEvent], entityByID: [String: Entity],
                                 names: NamesLongestFirst) -> [(Int, Int)] {
        var out: [(Int, Int)] = []
        var buckets: [String: [Int]] = [:]
        for (i, e) in events.enumerated() where e.date.value.precision == .day && e.date.end == nil
            && (!e.isForecast || e.date.mod == .approx) {
            guard let kind = e.kind, let main = mainEntity(e, entityByID) else { continue }
            buckets[main + "|" + kind.rawValue, default: []].append(i)
        }
        var daysByArticle: [String: Set<Int>] = [:]
        for (_, members) in buckets.sorted(by: { $0.key < $1.key }) where members.count > 1 {
            daysByArticle.removeAll(keepingCapacity: true)
            for m in members { daysByArticle[events[m].source.articleSlug, default: []].insert(events[m].date.value.sortDay(mod: nil)) }
            let sorted = members.sorted { events[$0].date.value.sortDay(mod: nil) < events[$1].date.value.sortDay(mod: nil) }
            for (n, a) in sorted.enumerated() {
                let dayA = events[a].date.value.sortDay(mod: nil)
                var k = n + 1
                while k < sorted.count {
                    let b = sorted[k]
                    let dayB = events[b].date.value.sortDay(mod: nil)
                    k += 1
                    let gap = dayB - dayA
                    let x = events[a], y = events[b]
                    // 「近日」 in one article, the exact day in another: the APPROX date is the later one,
                    // up to a week after the happening.
                    let approx = (x.date.mod == .approx) != (y.date.mod == .approx)
                    if approx {
                        guard y.date.mod == .approx, gap <= 7, x.source.articleSlug != y.source.articleSlug else { continue }
                        if similarity(distinctiveText(x, names), distinctiveText(y, names)) >= 0.3 { out.append((a, b)) }
                        continue
                    }
                    if gap == 0 { continue }
                    if gap > 7 { break }
                    if gap > 2 { continue }
                    guard x.source.articleSlug != y.source.articleSlug else { continue }
                    if daysByArticle[x.source.articleSlug]?.contains(dayB) == true
                        || daysByArticle[y.source.articleSlug]?.contains(dayA) == true { continue }
                    let sim = similarity(distinctiveText(x, names), distinctiveText(y, names))
                    if sim >= (gap == 1 ? 0.45 : 0.6) { out.append((a, b)) }
                }
            }
        }
        return out
    }

    /// Each entity's name and aliases with their lengths in characters, counted once per build
    /// rather than once per comparison (sorting names by `count` was 15% of the merge).
    struct NamesLongestFirst {
        let names: [String: [(name: String, length: Int)]]

        init(_ byID: [String: Entity]) {
            names = byID.mapValues { e in ([e.name] + e.aliases).filter { !$0.isEmpty }.map { ($0, $0.count) } }
        }

        /// The names of these entities, longest first (a stable sort: equal lengths keep entity order).
        func of(_ ids: [String]) -> [String] {
            ids.compactMap { names[$0] }.flatMap { $0 }.sorted(by: { $0.length > $1.length }).map(\.name)
        }
    }

    // MARK: related events

    public struct Related: Sendable {
        public var previousSameEntity: [(entity: String, event: Int)] = []
        public var nextSameEntity: [(entity: String, event: Int)] = []
        /// The nearest events of the same day (at most `sameDayLimit`, closest first in timeline order).
        public var sameDay: [Int] = []
        /// How many events share the day in all, of which `sameDay` shows the nearest.
        public var sameDayTotal = 0
        public var followsUp: Int?
        public var followedBy: [Int] = []
    }

    /// Same-day neighbours listed per event. A busy day of a large corpus has hundreds of events;
    /// listing them all on every one of them made pages and graph exports quadratic in a day's size.
    public static let sameDayLimit = 6

    /// Neighbours of one event, computed from the per-entity chains (no whole-timeline scan).
    public func related(_ index: Int) -> Related {
        var r = Related()
        let ev = events[index]
        for e in ev.entities {
            // Chains are ascending event indices: binary search, since a busy entity has thousands.
            guard let chain = eventsByEntity[e], let pos = Self.position(of: index, in: chain) else { continue }
            if pos > 0 { r.previousSameEntity.append((e, chain[pos - 1])) }
            if pos + 1 < chain.count { r.nextSameEntity.append((e, chain[pos + 1])) }
        }
        if ev.date.precision == .day {
            // Events are sorted by date, so the day is one contiguous run around `index`.
            var first = index, last = index
            while first > 0, events[first - 1].date == ev.date { first -= 1 }
            while last + 1 < events.count, events[last + 1].date == ev.date { last += 1 }
            r.sameDayTotal = last - first
            // The nearest ones, alternating before and after, then back in timeline order.
            var picked: [Int] = []
            var step = 1
            while picked.count < Self.sameDayLimit, index - step >= first || index + step <= last {
                if index - step >= first { picked.append(index - step) }
                if picked.count < Self.sameDayLimit, index + step <= last { picked.append(index + step) }
                step += 1
            }
            r.sameDay = picked.sorted()
        }
        r.followsUp = followsUp[index]
        r.followedBy = followedBy[index] ?? []
        return r
    }

    /// Index of `value` in an ascending array, or nil.
    static func position(of value: Int, in sorted: [Int]) -> Int? {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo < sorted.count && sorted[lo] == value ? lo : nil
    }
}
