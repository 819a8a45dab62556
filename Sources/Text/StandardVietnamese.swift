/// Text as people write it, made standard for analysis: one tone placement, teencode spelled
/// out, diacritics restored, Nghệ Tĩnh words in their standard form. Sentiment, key phrases and
/// topic suggestion read this; what is stored and searched stays as it was written.
public enum StandardVietnamese {
    public static func from(_ text: String) -> String {
        let normal = Vietnamese.normalize(text)
        // Whether to restore is decided on the text as typed: spelling out "ko dc" gives it
        // diacritics it was not typed with.
        let restore = DiacriticRestorer.mayNeedRestoring(normal)
        let spelled = Informal.normalize(normal)
        return Dialect.standardize(restore ? DiacriticRestorer.shared.restore(spelled, force: true) : spelled)
    }
}
