import JSON

/// IAM's checks on the names in `Action`/`NotAction`: `vendor:Action`, one
/// colon, a vendor of letters, digits, `-` and `.` (rules and messages as
/// recorded against IAM in moto's `test_iam_policies.py`).
enum ActionName {
    static func validationError(_ action: String, span: JSONSpan?) -> PolicyGrammarError? {
        let parts = action.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 1, action != "*" { return .actionMissingVendor(span) }
        if parts.count > 2 { return .actionHasManyColons(span) }
        let vendor = parts[0]
        let valid = vendor == "*"
            || !vendor.isEmpty && vendor.utf8.allSatisfy { ($0 &- 0x61 < 26) || ($0 &- 0x41 < 26) || ($0 &- 0x30 < 10) || $0 == 0x2D || $0 == 0x2E }
        return valid ? nil : .invalidVendor(vendor, span: span)
    }

    /// Trust policies may only name STS actions (`sts:AssumeRole`,
    /// `sts:AssumeRoleWithSAML`, `sts:AssumeRoleWithWebIdentity`,
    /// `sts:TagSession`, `sts:SetSourceIdentity`, `sts:SetContext`…); the
    /// vendor is compared without regard to case, as action names are.
    static func isSTSAction(_ action: String) -> Bool {
        action.utf8.count > 4 && action.asciiLowercased().hasPrefix("sts:")
    }
}
