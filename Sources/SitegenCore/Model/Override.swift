/// An editor's correction from `content/overrides.yml`. Overrides point at extracted events by
/// their stable key (`<article>:<hash of the statement>`), which survives edits elsewhere in the
/// article, so corrections are never made in generated files.
public struct Override: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        /// Change what extraction found: any field left nil stays as extracted.
        case correct(key: String, date: TemporalValue?, mod: TemporalModifier??, end: TemporalValue??,
                     headline: String?, kind: EventKind??, entities: [String]?)
        case suppress(key: String)
        /// An event the text does not state plainly.
        case add(article: String, date: TemporalValue, mod: TemporalModifier?, end: TemporalValue?,
                 headline: String, kind: EventKind?, entities: [String], quote: String?)
        /// Several extracted events that are one happening.
        case merge(keys: [String])
    }

    public var action: Action
    /// Line in overrides.yml, for messages.
    public var line: Int

    public init(action: Action, line: Int) {
        self.action = action
        self.line = line
    }
}
