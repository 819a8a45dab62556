import Localization
import Testing

/// Runs a test (or every test of a suite) with English as the caller's language, for tests that
/// read the English words of stores called directly. The language tests ask for Vietnamese.
public struct English: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await Language.$current.withValue(.en) { try await function() }
    }
}

extension Trait where Self == English {
    /// English words for this test or suite.
    public static var english: English { English() }
}
