@testable import GatehouseServer
import Testing

@Suite("Request bodies read before authentication")
struct RequestBodyBudgetTests {
    @Test("unauthenticated bodies share one budget: a reservation beyond it is refused until another is released")
    func budget() {
        let budget = RequestBodyReader.Budget(total: 3 << 20)
        #expect(budget.reserve(1 << 20))
        #expect(budget.reserve(2 << 20))
        #expect(!budget.reserve(1))
        budget.release(1 << 20)
        #expect(budget.reserve(1 << 20))
        #expect(!budget.reserve(1))
    }
}
