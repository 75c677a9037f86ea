/// An account's password policy: its settings, kept as a JSON object in the
/// `document` column (how records store nested values, RecordCoding.swift).
public struct PasswordPolicyRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "passwordPolicy"

    public var accountId: String
    public var settings: PasswordPolicySettings

    enum CodingKeys: String, CodingKey {
        case accountId
        case settings = "document"
    }

    public init(accountId: String, settings: PasswordPolicySettings) {
        self.accountId = accountId
        self.settings = settings
    }
}

/// What UpdateAccountPasswordPolicy set, AWS's defaults filled in.
public struct PasswordPolicySettings: Codable, Sendable, Equatable {
    public var minimumPasswordLength = 6
    public var requireSymbols = false
    public var requireNumbers = false
    public var requireUppercaseCharacters = false
    public var requireLowercaseCharacters = false
    public var allowUsersToChangePassword = false
    public var maxPasswordAge: Int?
    public var passwordReusePrevention: Int?
    public var hardExpiry: Bool?

    public init(
        minimumPasswordLength: Int = 6, requireSymbols: Bool = false, requireNumbers: Bool = false,
        requireUppercaseCharacters: Bool = false, requireLowercaseCharacters: Bool = false, allowUsersToChangePassword: Bool = false,
        maxPasswordAge: Int? = nil, passwordReusePrevention: Int? = nil, hardExpiry: Bool? = nil
    ) {
        self.minimumPasswordLength = minimumPasswordLength
        self.requireSymbols = requireSymbols
        self.requireNumbers = requireNumbers
        self.requireUppercaseCharacters = requireUppercaseCharacters
        self.requireLowercaseCharacters = requireLowercaseCharacters
        self.allowUsersToChangePassword = allowUsersToChangePassword
        self.maxPasswordAge = maxPasswordAge
        self.passwordReusePrevention = passwordReusePrevention
        self.hardExpiry = hardExpiry
    }
}
