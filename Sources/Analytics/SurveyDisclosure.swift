import Messages

/// Survey results as anyone but the commission's administrators and analysts may see them: no
/// cell of fewer than `minimum` respondents (`--min-respondents`, default 5), and, as for
/// report cells, complementary suppression so that no withheld option count is the answered
/// total minus the options shown.
enum SurveyDisclosure {
    static func withheld(_ results: SurveyResults, minimum m: Int) -> SurveyResults {
        var out = results
        out.questions = results.questions.map { q in
            var q = q
            guard let answered = q.answered, answered >= m else {
                return QuestionEstimate(question: q.question, text: q.text, answered: nil, options: q.options?.map(hidden), mean: nil, low: nil, high: nil).marked()
            }
            guard var options = q.options else { return q }
            var small = Set(options.indices.filter { (1..<m).contains(options[$0].count ?? 0) })
            if small.count == 1 {
                // One withheld option would be the total minus the rest: withhold the smallest other too.
                let others = options.indices.filter { !small.contains($0) && (options[$0].count ?? 0) > 0 }
                if let next = others.min(by: { (options[$0].count ?? 0, $0) < (options[$1].count ?? 0, $1) }) {
                    small.insert(next)
                } else {
                    return QuestionEstimate(question: q.question, text: q.text, answered: nil, options: options.map(hidden), mean: nil, low: nil, high: nil).marked()
                }
            }
            for i in small { options[i] = hidden(options[i]) }
            q.options = options
            return q
        }
        return out
    }

    static func hidden(_ o: OptionEstimate) -> OptionEstimate {
        OptionEstimate(option: o.option, count: nil, proportion: nil, low: nil, high: nil, suppressed: true)
    }
}

extension QuestionEstimate {
    func marked() -> QuestionEstimate {
        var q = self
        q.suppressed = true
        return q
    }
}
