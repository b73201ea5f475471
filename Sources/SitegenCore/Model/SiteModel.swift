/// Site-wide settings from `content/site.yml`.
public struct SiteConfig: Sendable, Equatable {
    public struct NavLink: Sendable, Equatable {
        public var title: String
        public var url: String
    }

    public var title: String
    public var description: String
    public var tagline: String
    public var language: String
    /// Always ends with "/".
    public var baseURL: String { didSet { basePath = Self.basePath(of: baseURL) } }
    public var author: String
    public var nav: [NavLink]
    /// How many entries each feed (`atom.xml`, `articles.xml`, `feed.json`) carries: the newest
    /// ones. `feed_limit:` in site.yml; at least 1.
    public var feedLimit: Int

    /// The feeds' entry count when site.yml does not set `feed_limit`.
    public static let defaultFeedLimit = 100

    public init(title: String = "大模型产业时间线", description: String = "", tagline: String = "",
                language: String = "zh-CN", baseURL: String = "/", author: String = "", nav: [NavLink] = [],
                feedLimit: Int = SiteConfig.defaultFeedLimit) {
        self.title = title
        self.description = description
        self.tagline = tagline
        self.language = language
        self.baseURL = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
        self.basePath = Self.basePath(of: self.baseURL)
        self.author = author
        self.nav = nav
        self.feedLimit = max(1, feedLimit)
    }

    /// The path part of the base URL ("/" or "/timeline/"): every internal link starts with it,
    /// so the site works when deployed under a sub-path.
    ///
    /// Kept with `baseURL` rather than worked out on each use: every internal link of every page
    /// reads it, and it was a Foundation `range(of:)` (through CFString) per link.
    public private(set) var basePath: String

    static func basePath(of baseURL: String) -> String {
        guard let schemeEnd = TextSearch.range(of: "://", in: baseURL) else { return baseURL.hasPrefix("/") ? baseURL : "/" + baseURL }
        let rest = baseURL[schemeEnd.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "/" }
        return String(rest[slash...])
    }
}

public enum EntityKind: String, Sendable, CaseIterable, Codable {
    case company, product, person, organization, policy

    public var label: String {
        switch self {
        case .company: "公司"
        case .product: "产品/模型"
        case .person: "人物"
        case .organization: "机构"
        case .policy: "政策"
        }
    }
}

/// A company, product, person, organisation or policy from `content/entities.yml`.
public struct Entity: Sendable, Equatable, Identifiable {
    public var id: String
    public var name: String
    public var kind: EntityKind
    public var aliases: [String]
    public var parent: String?
    public var description: String?
    /// Where it is defined, for error messages.
    public var line: Int
    /// Found in the text by the extractor, not defined in entities.yml: shown as unconfirmed.
    public var isProvisional = false

    public init(id: String, name: String, kind: EntityKind, aliases: [String] = [], parent: String? = nil,
                description: String? = nil, line: Int = 0) {
        self.id = id
        self.name = name
        self.kind = kind
        self.aliases = aliases
        self.parent = parent
        self.description = description
        self.line = line
    }
}

/// Front matter of one article.
public struct ArticleMeta: Sendable, Equatable {
    public var slug: String
    public var title: String
    public var date: CivilDate
    public var source: String?
    public var sourceURL: String?
    public var authors: [String]
    public var summary: String?
    public var tags: [String]

    public init(slug: String, title: String, date: CivilDate, source: String? = nil, sourceURL: String? = nil,
                authors: [String] = [], summary: String? = nil, tags: [String] = []) {
        self.slug = slug
        self.title = title
        self.date = date
        self.source = source
        self.sourceURL = sourceURL
        self.authors = authors
        self.summary = summary
        self.tags = tags
    }
}

/// An article as loaded from disk: metadata plus the Markdown body.
public struct ArticleSource: Sendable, Equatable {
    public var meta: ArticleMeta
    /// Path relative to the content folder, for messages (e.g. `articles/foo.md`).
    public var path: String
    public var body: String
    /// 1-based line in the file where `body` starts, so body positions map back to file lines.
    public var bodyStartLine: Int
    /// Content hash of the whole file (FNV-1a), for caches and stable ids.
    public var contentHash: UInt64
}

/// What the loader hands on: everything read from `content/`.
public struct SiteContent: Sendable {
    public var config: SiteConfig
    public var entities: [Entity]
    public var articles: [ArticleSource]
    public var overrides: [Override] = []
    public var warnings: [Diagnostic]
    /// With `--keep-going`: what was left out because it had errors (articles, entity
    /// definitions, overrides), each with its error as a warning.
    public var skipped: [Diagnostic] = []
}
