import Testing
@testable import App
@Test func appPlaceholderCompiles() { #expect(AppPlaceholder.self == AppPlaceholder.self) }
