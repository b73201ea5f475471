/// What kind of happening an event is, when the text says so.
public enum EventKind: String, Sendable, CaseIterable, Codable {
    case release = "发布"
    case funding = "融资"
    case pricing = "降价"
    case earnings = "财报"
    case policy = "政策"
    case lawsuit = "诉讼"
    case partnership = "合作"
    case forecast = "预测"
    case milestone = "里程碑"

    public var slug: String {
        switch self {
        case .release: "release"
        case .funding: "funding"
        case .pricing: "pricing"
        case .earnings: "earnings"
        case .policy: "policy"
        case .lawsuit: "lawsuit"
        case .partnership: "partnership"
        case .forecast: "forecast"
        case .milestone: "milestone"
        }
    }
}

/// Where an event was read: the article, the sentence, and its place on the article page.
public struct EventSource: Sendable, Equatable {
    public var articleSlug: String
    /// The clause's sentence, as written.
    public var quote: String
    /// Index of the block in the article (for the page anchor).
    public var blockIndex: Int
    /// 1-based line in the article file.
    public var line: Int
    /// Stable key of the extracted statement: survives edits elsewhere in the article.
    public var key: String
    /// The sentence that named an actor this statement only refers back to (它/该公司/zero subject).
    public var actorSentence: String? = nil
    /// The date this source gives when it differs from the event's (sources disagree).
    public var reportedDate: TemporalValue? = nil
}

/// Stage 3 output: one dated statement about one or more entities, read from one article.
public struct ExtractedEvent: Sendable, Equatable {
    public var date: TemporalExpression
    public var headline: String
    public var entities: [String]
    public var kind: EventKind?
    public var isForecast: Bool
    /// Follow-up signal in the text (随后, 跟进, 回应, 此后): links it to the event before.
    public var isFollowUp: Bool
    public var source: EventSource
    /// Actors among `entities` that the sentence does not name: carried from `source.actorSentence`.
    public var carriedEntities: [String] = []
    /// Entities named only as a yardstick (对标, 媲美, 逼近, 仅为…的): mentioned, not participants.
    public var mentions: [String] = []
    /// Actors the catalogue does not know (a 「…科技」, a "Nova-3 Pro", a 《…》 product) that this
    /// statement names; their ids are among `entities` or `mentions`.
    public var provisionalEntities: [Entity] = []
}

/// Stage 4 output: an event of the timeline, possibly reported by several articles.
public struct TimelineEvent: Sendable, Equatable, Identifiable {
    public var id: String
    public var date: TemporalValue
    public var mod: TemporalModifier?
    public var end: TemporalValue?
    public var endMod: TemporalModifier?
    public var headline: String
    /// Entities named in the text, most specific first as written.
    public var entities: [String]
    /// Parents of the named entities (豆包 → 字节跳动), not named in the text.
    public var impliedEntities: [String]
    public var kind: EventKind?
    public var isForecast: Bool
    public var isFollowUp: Bool
    public var sources: [EventSource]
    /// Actors no source names in its own sentence (each source's `actorSentence` says where from).
    public var carriedEntities: [String] = []
    /// Entities named only for comparison.
    public var mentions: [String] = []

    /// Whether the sources give different dates for this happening (see `EventSource.reportedDate`).
    public var datesDisagree: Bool { sources.contains { $0.reportedDate != nil } }

    public var sortDay: Int { date.sortDay(mod: mod) }
}

/// A dated statement that did not become an event, and why — for the editor's review page.
public struct SkippedStatement: Sendable, Equatable {
    public enum Reason: String, Sendable, CaseIterable {
        case noEntity = "no-entity"
        case offTopic = "off-topic"
        case notADate = "not-a-date"
        case nothingHappens = "no-happening"
        case question = "question"
        case commentary = "commentary"
        case noHappening = "no-predicate"
        case comparisonOnly = "comparison-only"
        case dateline = "dateline"

        public var label: String {
            switch self {
            case .noEntity: "没有已知实体"
            case .offTopic: "与人工智能无关的段落"
            case .notADate: "不是日期（时长、数量或版本号）"
            case .nothingHappens: "去掉日期后没有内容"
            case .question: "问句，不是事件"
            case .commentary: "评论或背景，不是发生的事"
            case .noHappening: "没有表示发生了什么的谓语"
            case .comparisonOnly: "只在比较中提到实体"
            case .dateline: "电头，不是事件；此后的相对日期以电头日期为准"
            }
        }
    }

    public var articleSlug: String
    public var line: Int
    public var blockIndex: Int
    public var text: String
    public var dateText: String?
    public var reason: Reason
}
