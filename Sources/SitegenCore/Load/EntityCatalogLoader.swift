import Foundation
import Yams

/// Reads `content/entities.yml` and checks it: unique ids, known kinds, existing parents, and
/// no alias claimed by two entities (the matcher could not tell them apart).
public struct EntityCatalogLoader: Sendable {
    public init() {}

    /// What `read` found: the entities, and with `keepGoing` the definitions left out and the
    /// parent links dropped (a parent that was itself left out).
    public struct Catalog: Sendable {
        public var entities: [Entity]
        public var skipped: [Diagnostic]
        public var warnings: [Diagnostic]
    }

    public func load(text: String, file: String = "entities.yml") throws(BuildFailure) -> [Entity] {
        try read(text: text, file: file, keepGoing: false).entities
    }

    /// Every error of the file; with `keepGoing` an entity with an error is skipped instead (a
    /// later duplicate id or alias, an unknown kind or parent, a parent cycle) and only errors
    /// of the whole file (not YAML, not a list) are thrown.
    public func read(text: String, file: String = "entities.yml", keepGoing: Bool) throws(BuildFailure) -> Catalog {
        let doc: YAMLDocument
        do { doc = try YAMLDocument(file: file, text: text) } catch { throw BuildFailure([error]) }
        guard let root = doc.root else { return Catalog(entities: [], skipped: [], warnings: []) }
        guard case .sequence(let items) = root else {
            throw BuildFailure([doc.diagnostic(root, "entities.yml must be a list of entities (`- id: …`)",
                                               hint: "start each entity with `- id:`")])
        }
        var errors: [Diagnostic] = []
        var warnings: [Diagnostic] = []
        var entities: [Entity] = []
        var byID: [String: Entity] = [:]
        var defined: Set<String> = []  // ids of every item that has one, kept or not
        var claimed: [String: (String, Int)] = [:]  // folded alias -> (entity id, line)
        var parentNodes: [String: Node] = [:]  // entity id -> its `parent:` value, for locating errors
        for item in items {
            do throws(Diagnostic) {
                guard case .mapping(let map) = item else {
                    throw doc.diagnostic(item, "each entity must be a mapping with id, name, kind", hint: "write `- id: …` then `name: …`")
                }
                func field(_ k: String) -> Node? { YAMLDocument.value(map, k) }
                guard let id = try doc.string(field("id"), key: "id"), !id.isEmpty else {
                    throw doc.diagnostic(item, "entity without `id`", hint: "add `id: lowercase-ascii-name`")
                }
                defined.insert(id)
                guard SafeName.slug(id) == id, !id.contains(".") else {
                    throw doc.diagnostic(field("id"), "entity id '\(id)' is not a safe name", hint: "use lowercase letters, digits and hyphens only")
                }
                guard let name = try doc.string(field("name"), key: "name"), !name.isEmpty else {
                    throw doc.diagnostic(item, "entity '\(id)' has no `name`", hint: "add `name: 显示名称`")
                }
                let kindText = try doc.string(field("kind"), key: "kind") ?? ""
                guard let kind = EntityKind(rawValue: kindText) else {
                    throw doc.diagnostic(field("kind") ?? item, "entity '\(id)' has unknown kind '\(kindText)'",
                                         hint: "use one of: \(EntityKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                let line = doc.fileLine(of: item) ?? 0
                if let prior = byID[id] {
                    throw doc.diagnostic(field("id"), "duplicate entity id '\(id)' (first defined on line \(prior.line))",
                                         hint: "give every entity its own id")
                }
                let aliases = try doc.strings(field("aliases"), key: "aliases")
                var keys: [String] = []
                for alias in [name] + aliases {
                    let key = alias.lowercased()
                    if key.unicodeScalars.count < 2 && !(alias.unicodeScalars.first.map(ChineseText.isIdeograph) ?? false) { continue }
                    if let (other, otherLine) = claimed[key], other != id {
                        throw doc.diagnostic(field("aliases") ?? item, "'\(alias)' is claimed by both '\(other)' (line \(otherLine)) and '\(id)'",
                                             hint: "keep the alias on one entity only")
                    }
                    keys.append(key)
                }
                let entity = Entity(id: id, name: name, kind: kind, aliases: aliases,
                                    parent: try doc.string(field("parent"), key: "parent"),
                                    description: try doc.string(field("description"), key: "description"), line: line)
                for key in keys { claimed[key] = (id, line) }
                if let p = field("parent") { parentNodes[id] = p }
                byID[id] = entity
                entities.append(entity)
            } catch {
                errors.append(error)
            }
        }
        var dropped: Set<String> = []  // entities left out after the loop (keepGoing only)
        for e in entities {
            if let p = e.parent, byID[p] == nil, !(keepGoing && defined.contains(p)) {
                errors.append(doc.diagnostic(parentNodes[e.id], "entity '\(e.id)' has parent '\(p)', which is not defined",
                                             hint: "define '\(p)' or correct the parent id"))
                dropped.insert(e.id)
            }
        }
        // A parent chain that loops would make "implied entities" endless.
        for e in entities {
            var seen: Set<String> = [e.id]
            var cur = e.parent
            while let c = cur, let next = byID[c] {
                if seen.contains(c) {
                    errors.append(doc.diagnostic(parentNodes[e.id], "entity '\(e.id)' is its own ancestor through 'parent'",
                                                 hint: "break the parent cycle"))
                    dropped.insert(e.id)
                    break
                }
                seen.insert(c)
                cur = next.parent
            }
        }
        if !keepGoing {
            if !errors.isEmpty { throw BuildFailure(errors) }
            return Catalog(entities: entities, skipped: [], warnings: [])
        }
        // Keep going: the bad definitions are out; an entity whose parent is out loses the link.
        var kept = entities.filter { !dropped.contains($0.id) }
        let keptIDs = Set(kept.map(\.id))
        for i in kept.indices {
            if let p = kept[i].parent, !keptIDs.contains(p) {
                warnings.append(doc.diagnostic(parentNodes[kept[i].id], "entity '\(kept[i].id)' is shown without its parent '\(p)', which was skipped",
                                               hint: "fix the definition of '\(p)'", severity: .warning))
                kept[i].parent = nil
            }
        }
        return Catalog(entities: kept, skipped: errors.map { ContentLoader.skippedWarning($0, what: "entity definition") },
                       warnings: warnings)
    }
}

/// Reads `content/site.yml`.
public struct SiteConfigLoader: Sendable {
    public init() {}

    public func load(text: String, file: String = "site.yml") throws(Diagnostic) -> SiteConfig {
        let doc = try YAMLDocument(file: file, text: text)
        guard let root = doc.root else { return SiteConfig() }
        guard case .mapping(let map) = root else {
            throw doc.diagnostic(root, "site.yml must be a mapping of settings", hint: "write `title: …` and `base_url: …` lines")
        }
        func field(_ k: String) -> Node? { YAMLDocument.value(map, k) }
        var config = SiteConfig()
        if let v = try doc.string(field("title"), key: "title") { config.title = v }
        if let v = try doc.string(field("description"), key: "description") { config.description = v }
        if let v = try doc.string(field("tagline"), key: "tagline") { config.tagline = v }
        if let v = try doc.string(field("language"), key: "language") { config.language = v }
        if let v = try doc.string(field("author"), key: "author") { config.author = v }
        if let v = try doc.string(field("base_url"), key: "base_url") {
            guard v.hasPrefix("http://") || v.hasPrefix("https://") || v.hasPrefix("/") else {
                throw doc.diagnostic(field("base_url"), "base_url '\(v)' must be an absolute http(s) address or a path starting with /",
                                     hint: "e.g. `base_url: https://example.org/timeline/`")
            }
            config.baseURL = v.hasSuffix("/") ? v : v + "/"
        }
        if let v = try doc.string(field("feed_limit"), key: "feed_limit") {
            // Digits only: no sign, fraction, exponent or digit separators; Int() refuses what overflows.
            guard !v.isEmpty, v.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                  let n = Int(v), n >= 1 else {
                throw doc.diagnostic(field("feed_limit"), "feed_limit '\(v)' must be a whole number of feed entries, at least 1",
                                     hint: "e.g. `feed_limit: \(SiteConfig.defaultFeedLimit)` (the default): each feed carries that many of the newest entries")
            }
            config.feedLimit = n
        }
        if let navNode = field("nav") {
            guard case .sequence(let items) = navNode else {
                throw doc.diagnostic(navNode, "'nav' must be a list of {title, url}", hint: "write `- title: …` / `url: …` items")
            }
            for item in items {
                guard case .mapping(let m) = item,
                      let t = try doc.string(YAMLDocument.value(m, "title"), key: "title"),
                      let u = try doc.string(YAMLDocument.value(m, "url"), key: "url") else {
                    throw doc.diagnostic(item, "each nav item needs `title` and `url`")
                }
                config.nav.append(.init(title: t, url: u))
            }
        }
        return config
    }
}
