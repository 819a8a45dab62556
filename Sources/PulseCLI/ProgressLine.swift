import Foundation
import Localization
import Synchronization

/// A line on a terminal's standard error for work that takes more than a second: what is
/// under way and for how long, rewritten each second and wiped when the work ends. Nothing is
/// written when standard error is not a terminal, so scripts and logs see no noise.
final class ProgressLine: Sendable {
    private final class Flag: Sendable { let value = Atomic<Bool>(false) }
    private let shown = Flag()
    private let ticker: Task<Void, Never>?

    init(_ what: String) {
        guard isatty(STDERR_FILENO) != 0 else {
            ticker = nil
            return
        }
        let shown = shown
        ticker = Task {
            var seconds = 1
            while (try? await Task.sleep(for: .seconds(1))) != nil {
                shown.value.store(true, ordering: .relaxed)
                FileHandle.standardError.write(Data("\r\u{1B}[K\(what)… \(tr("\(seconds) giây", en: "\(seconds) s"))".utf8))
                seconds += 1
            }
        }
    }

    /// Ends the line: the work is done.
    func finish() {
        ticker?.cancel()
        if shown.value.load(ordering: .relaxed) { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
