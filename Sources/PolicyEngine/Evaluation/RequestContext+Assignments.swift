extension RequestContext {
    /// Why a `key=value` assignment could not be read.
    public struct AssignmentError: Error, Sendable, Hashable, CustomStringConvertible {
        public let assignment: String
        public var description: String { "context entry \"\(assignment)\" must be KEY=VALUE, e.g. aws:SourceIp=10.0.0.1" }
    }

    /// A context from `key=value` assignments, as typed on a command line:
    /// a key repeated gathers several values (`aws:TagKeys=a aws:TagKeys=b`),
    /// in order; keys compare without case, the first spelling kept. Values
    /// stay strings — numbers, dates, booleans and addresses are read by the
    /// condition operator that uses them, as AWS passes them. The value runs
    /// from the first `=`, so it may itself contain `=`.
    public init(assignments: [String]) throws(AssignmentError) {
        self.init()
        var order: [String] = []
        var values: [String: (spelling: String, values: [String])] = [:]
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw AssignmentError(assignment: assignment)
            }
            let key = String(assignment[..<equals])
            let value = String(assignment[assignment.index(after: equals)...])
            let folded = key.asciiLowercased()
            if values[folded] == nil {
                order.append(folded)
                values[folded] = (key, [])
            }
            values[folded]?.values.append(value)
        }
        for folded in order {
            guard let entry = values[folded] else { continue }
            self[entry.spelling] = ContextValue(entry.values)
        }
    }
}
