@testable import GatehouseServer
import Testing

@Suite("Admin endpoints: who may call what")
struct AdminAccessTests {
    @Test("only health and signed layer downloads are open to any peer")
    func publicPaths() {
        #expect(AdminEndpoints.isPublic("/_gatehouse/health"))
        #expect(AdminEndpoints.isPublic("/_gatehouse/blobs/sha256:" + String(repeating: "a", count: 64)))
        for path in ["/_gatehouse/decisions", "/_gatehouse/reset", "/_gatehouse/state", "/_gatehouse/state/blobs/x", "/_gatehouse/unknown"] {
            #expect(!AdminEndpoints.isPublic(path), "\(path)")
        }
    }
}

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
