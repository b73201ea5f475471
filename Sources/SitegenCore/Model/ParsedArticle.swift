/// A block of article text that extraction reads: a paragraph, list item, heading or table row.
public struct TextBlock: Sendable, Equatable {
    public enum Kind: String, Sendable { case paragraph, heading, tableRow, quote }

    public var index: Int
    public var kind: Kind
    public var headingLevel: Int
    /// Plain text with Markdown markup removed.
    public var text: String
    /// 1-based line in the article file.
    public var line: Int
    /// The `data-sourcepos` value cmark gives the HTML element that shows this block, so the
    /// renderer can anchor and highlight it.
    public var htmlSourcePos: String?
    /// Index of the section (text under one level-1/2 heading) the block belongs to.
    public var section: Int
}

/// Stage 2 output: an article parsed by cmark-gfm.
public struct ParsedArticle: Sendable {
    public var source: ArticleSource
    /// cmark-gfm's safe HTML, with `data-sourcepos` attributes still in place for the renderer.
    public var html: String
    public var blocks: [TextBlock]
    /// Per section: its heading text (empty before the first heading).
    public var sectionTitles: [String]

    public var meta: ArticleMeta { source.meta }
}
