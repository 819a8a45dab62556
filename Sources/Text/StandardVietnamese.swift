/// Text as people write it, made standard for analysis: one tone placement, teencode spelled
/// out, diacritics restored, Nghệ Tĩnh words in their standard form. Sentiment, key phrases and
/// topic suggestion read this; what is stored and searched stays as it was written.
public enum StandardVietnamese {
    public static func from(_ text: String) -> String {
        Dialect.standardize(DiacriticRestorer.shared.restore(Informal.normalize(Vietnamese.normalize(text))))
    }
}
