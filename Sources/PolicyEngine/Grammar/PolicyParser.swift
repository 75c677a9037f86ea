import JSON

/// Validates a document in the order IAM reports problems, so that a
/// document with several problems gets the message IAM would give first:
/// grammar ("Syntax errors in policy."), the managed-policy version rule,
/// principals, the legacy parser, statement IDs, required actions and
/// resources, resource formats, then action names. The order follows the
/// outcomes recorded against IAM in moto's `test_iam_policies.py`.
struct PolicyParser {
    private struct RawStatement {
        let index: Int
        let span: JSONSpan?
        var sid: String?
        var effect = ""
        var actions: [String]?
        var notActions: [String]?
        var resources: [String]?
        var notResources: [String]?
        var principal: JSONValue?
        var notPrincipal: JSONValue?
        var conditions: [ConditionClause] = []
    }

    private static let topLevelKeys: Set<String> = ["Version", "Id", "Statement"]
    private static let statementKeys: Set<String> = [
        "Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition", "Principal", "NotPrincipal",
    ]

    let kind: PolicyKind
    let requiresCurrentVersion: Bool

    func parse(_ text: String) throws(PolicyGrammarError) -> PolicyDocument {
        let json: JSONValue
        do {
            json = try JSONParser.parse(text)
        } catch {
            let span = JSONSpan(start: error.position, end: error.position)
            throw kind == .trust ? .invalidJSON(span) : .syntax(span)
        }
        guard case .object(let root) = json, Self.hasUniqueKeys(root) else { throw .syntax(Self.span(of: json)) }
        for key in root.keys where !Self.topLevelKeys.contains(key) { throw .syntax(root.span) }

        var version: PolicyVersion?
        if let value = root["Version"] {
            guard case .string(let text) = value, let parsed = PolicyVersion(rawValue: text) else {
                throw .syntax(root.span)
            }
            version = parsed
        }
        var id: String?
        if let value = root["Id"] {
            guard case .string(let text) = value else { throw .syntax(root.span) }
            id = text
        }
        let variables = version?.supportsPolicyVariables ?? false
        var raw = try statements(in: root, variables: variables)

        if requiresCurrentVersion, version != .v2012_10_17 { throw PolicyGrammarError.versionTooOld.at(root.span) }

        let principals = try checkPrincipals(&raw)
        try checkLegacyParsing(raw, variables: variables)
        try checkStatementIDs(raw)
        for statement in raw where (statement.actions ?? statement.notActions ?? []).isEmpty {
            throw .missingActions(statement.span)
        }
        if kind == .identity {
            for statement in raw where (statement.resources ?? statement.notResources ?? []).isEmpty {
                throw .missingResources(statement.span)
            }
        } else {
            for statement in raw where statement.resources?.isEmpty == true || statement.notResources?.isEmpty == true {
                throw .missingResources(statement.span)
            }
        }
        if let error = firstResourceFormatError(raw) { throw error }
        try checkActionNames(raw)

        let statements = raw.map { statement in
            PolicyStatement(
                index: statement.index,
                sid: statement.sid,
                effect: statement.effect == "Allow" ? .allow : .deny,
                actions: .init(values: statement.actions ?? statement.notActions ?? [], isNegated: statement.actions == nil),
                resources: (statement.resources ?? statement.notResources).map {
                    .init(values: $0, isNegated: statement.resources == nil)
                },
                principals: principals[statement.index].map { element in
                    element.entries.map {
                        PrincipalReference(
                            type: $0.type, value: $0.value, statementIndex: statement.index,
                            isNotPrincipal: statement.notPrincipal != nil)
                    }
                } ?? [],
                principalIsNegated: statement.notPrincipal != nil,
                conditions: statement.conditions,
                span: statement.span)
        }
        return PolicyDocument(kind: kind, version: version, id: id, statements: statements, principals: principals)
    }

    // MARK: Grammar

    private func statements(in root: JSONObject, variables: Bool) throws(PolicyGrammarError) -> [RawStatement] {
        let objects: [JSONObject]
        switch root["Statement"] {
        case .object(let object):
            objects = [object]
        case .array(let elements):
            guard !elements.isEmpty else { throw .syntax(root.span) }
            var list: [JSONObject] = []
            for element in elements {
                guard case .object(let object) = element else { throw .syntax(root.span) }
                list.append(object)
            }
            objects = list
        default:
            throw .syntax(root.span)
        }
        var result: [RawStatement] = []
        for (index, object) in objects.enumerated() {
            result.append(try statement(object, index: index, variables: variables))
        }
        return result
    }

    private func statement(_ object: JSONObject, index: Int, variables: Bool) throws(PolicyGrammarError) -> RawStatement {
        let span = object.span
        guard Self.hasUniqueKeys(object) else { throw .syntax(span) }
        for key in object.keys where !Self.statementKeys.contains(key) { throw .syntax(span) }
        for (a, b) in [("Action", "NotAction"), ("Resource", "NotResource"), ("Principal", "NotPrincipal")]
        where object[a] != nil && object[b] != nil {
            throw .syntax(span)
        }
        var raw = RawStatement(index: index, span: span)
        // Effect is read case-insensitively here; the legacy parser then
        // insists on "Allow"/"Deny" exactly.
        guard case .string(let effect) = object["Effect"], ["allow", "deny"].contains(effect.asciiLowercased()) else {
            throw .syntax(span)
        }
        raw.effect = effect
        if let sid = object["Sid"] {
            guard case .string(let text) = sid else { throw .syntax(span) }
            raw.sid = text
        }
        raw.actions = try Self.stringList(object["Action"], span: span)
        raw.notActions = try Self.stringList(object["NotAction"], span: span)
        raw.resources = try Self.stringList(object["Resource"], span: span)
        raw.notResources = try Self.stringList(object["NotResource"], span: span)
        raw.principal = object["Principal"]
        raw.notPrincipal = object["NotPrincipal"]
        if let condition = object["Condition"] {
            raw.conditions = try Self.conditions(condition, variables: variables, span: span)
        }
        return raw
    }

    /// A string or an array of strings.
    private static func stringList(_ value: JSONValue?, span: JSONSpan?) throws(PolicyGrammarError) -> [String]? {
        switch value {
        case nil: return nil
        case .string(let s): return [s]
        case .array(let elements):
            var list: [String] = []
            for element in elements {
                guard case .string(let s) = element else { throw .syntax(span) }
                list.append(s)
            }
            return list
        default:
            throw .syntax(span)
        }
    }

    /// `{operator: {key: value-or-values}}`. Values may be strings, numbers or
    /// booleans; an operator IAM does not know is a syntax error unless its
    /// block is empty (moto cases `{"x": {}}` accepted, `{"x": {"a": "1"}}` refused).
    private static func conditions(_ value: JSONValue, variables: Bool, span: JSONSpan?) throws(PolicyGrammarError) -> [ConditionClause] {
        guard case .object(let block) = value else { throw .syntax(span) }
        var clauses: [ConditionClause] = []
        for (name, body) in block.members {
            guard case .object(let keys) = body else { throw .syntax(span) }
            var entries: [(String, [String])] = []
            for (key, raw) in keys.members {
                var values: [String] = []
                switch raw {
                case .array(let elements):
                    for element in elements {
                        guard let text = scalarText(element) else { throw .syntax(span) }
                        values.append(text)
                    }
                default:
                    guard let text = scalarText(raw) else { throw .syntax(span) }
                    values = [text]
                }
                entries.append((key, values))
            }
            guard let op = ConditionOperator(name) else {
                if entries.isEmpty { continue }
                throw .syntax(span)
            }
            for (key, values) in entries {
                clauses.append(ConditionClause(operator: op, key: key, values: values, variables: variables))
            }
        }
        return clauses
    }

    private static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s): s
        case .number(let n): n.text
        case .bool(let b): b ? "true" : "false"
        default: nil
        }
    }

    // MARK: Principals

    private func checkPrincipals(_ raw: inout [RawStatement]) throws(PolicyGrammarError) -> [PrincipalElement?] {
        var elements: [PrincipalElement?] = []
        for statement in raw {
            let value = statement.principal ?? statement.notPrincipal
            switch kind {
            case .identity:
                if value != nil { throw .principalNotAllowed(statement.span) }
                elements.append(nil)
            case .trust, .resource:
                if kind == .trust {
                    if statement.resources != nil { throw .prohibitedField("Resource", span: statement.span) }
                    if statement.notResources != nil { throw .prohibitedField("NotResource", span: statement.span) }
                }
                let missing: PolicyGrammarError = kind == .trust
                    ? .trustStatementWithoutPrincipal(statement.span)
                    : .resourceStatementWithoutPrincipal(statement.span)
                guard let value else { throw missing }
                let element = try PrincipalElement(value, kind: kind, span: statement.span)
                if element.isEmpty { throw missing }
                elements.append(element)
            }
        }
        return elements
    }

    // MARK: Legacy parser

    private func checkLegacyParsing(_ raw: [RawStatement], variables: Bool) throws(PolicyGrammarError) {
        for statement in raw {
            guard statement.effect == "Allow" || statement.effect == "Deny" else { throw .legacyParsing(statement.span) }
            for clause in statement.conditions where clause.operator.base.rawValue.hasPrefix("Date") {
                for value in clause.values where !PolicyDate.isAcceptedPolicyValue(value) {
                    throw .legacyParsing(statement.span)
                }
            }
        }
        // IAM's older parser reads ARN-prefixed resources first; any other
        // value reaches it only once the format checks, reported later, have
        // passed — and only while no earlier resource failed them (moto's
        // `["arn:error:s3:::b", "arn:error:s3::b"]` gives the partition error,
        // versitygw's `arn:awss3::b/*` the legacy failure, `s3::b/*` a
        // partition error).
        var formatFailed = false
        for list in [\RawStatement.resources, \RawStatement.notResources] {
            for statement in raw {
                for resource in statement[keyPath: list] ?? [] {
                    let legacyOK = ResourceFormat.passesLegacyParsing(resource, variables: variables)
                    if !formatFailed, !legacyOK, resource.hasPrefix("arn:") { throw .legacyParsing(statement.span) }
                    if ResourceFormat.validationError(resource, span: nil) != nil {
                        formatFailed = true
                    } else if !formatFailed, !legacyOK {
                        throw .legacyParsing(statement.span)
                    }
                }
            }
        }
    }

    private func firstResourceFormatError(_ raw: [RawStatement]) -> PolicyGrammarError? {
        for list in [\RawStatement.resources, \RawStatement.notResources] {
            for statement in raw {
                for resource in statement[keyPath: list] ?? [] {
                    if let error = ResourceFormat.validationError(resource, span: statement.span) { return error }
                }
            }
        }
        return nil
    }

    // MARK: Statement IDs

    /// Alphanumeric Sids are required in IAM policies ("For IAM policies,
    /// basic alphanumeric characters (A-Z,a-z,0-9) are the only allowed
    /// characters in the Sid value. Other AWS services that support
    /// resource policies may have other requirements" — IAM User Guide,
    /// grammar notes), and are checked before uniqueness, as IAM did in
    /// Wolox/carthage_cache#22. Empty Sids are never duplicates. Uniqueness is
    /// IAM's rule too: ECR accepts repository and registry policies that repeat
    /// a Sid (getmoto/moto#8933, from a LocalStack user's policy that ECR took).
    private func checkStatementIDs(_ raw: [RawStatement]) throws(PolicyGrammarError) {
        guard kind != .resource else { return }
        for statement in raw {
            guard let sid = statement.sid else { continue }
            if !sid.utf8.allSatisfy({ ($0 &- 0x61 < 26) || ($0 &- 0x41 < 26) || ($0 &- 0x30 < 10) }) {
                throw .invalidSid(statement.span)
            }
        }
        var seen: Set<String> = []
        for statement in raw {
            guard let sid = statement.sid, !sid.isEmpty else { continue }
            if !seen.insert(sid).inserted { throw .duplicateSid(statement.span) }
        }
    }

    // MARK: Actions

    private func checkActionNames(_ raw: [RawStatement]) throws(PolicyGrammarError) {
        for list in [\RawStatement.actions, \RawStatement.notActions] {
            for statement in raw {
                for action in statement[keyPath: list] ?? [] {
                    if let error = ActionName.validationError(action, span: statement.span) { throw error }
                }
            }
        }
        guard kind == .trust else { return }
        for statement in raw {
            for action in statement.actions ?? statement.notActions ?? [] where !ActionName.isSTSAction(action) {
                throw .nonSTSAction(statement.span)
            }
        }
    }

    // MARK: Helpers

    /// Duplicate member names are refused rather than silently resolved:
    /// which one IAM would honour is not documented.
    private static func hasUniqueKeys(_ object: JSONObject) -> Bool {
        var seen: Set<String> = []
        return object.members.allSatisfy { seen.insert($0.key).inserted }
    }

    private static func span(of value: JSONValue) -> JSONSpan? {
        if case .object(let object) = value { return object.span }
        return nil
    }
}
