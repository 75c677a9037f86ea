import GatehouseTesting

// SQLite transactions per request, counted by the store (`Store.transactionCount`)
// around requests dispatched in process (GatehouseTesting: the real services and
// authorizer, the principal found from its access key as the front door finds it).
// Warm: the same request repeated. After a write elsewhere: each request right
// after a TagRole on another role (caches keep what that write did not touch).
// Cold: each request right after a write to the caller itself (a tag on the
// user "reader"; for root, whose caches that write does not touch, it is one
// more write elsewhere).
// Counts are exact, not timed, so one run is enough; scripts/bench records them.

let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
let readPolicy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"}]}"#

struct Failed: Error, CustomStringConvertible {
    let description: String
}

func require(_ answer: TestWorld.Answer, _ what: String) throws {
    guard answer.status == 200 else { throw Failed(description: "\(what): \(answer)") }
}

/// Transactions per request: the mean, the least and the most over `rounds`.
func measure(_ world: TestWorld, rounds: Int, before: (Int) async throws -> Void, request: () async throws -> Void)
    async throws -> (mean: Double, least: UInt64, most: UInt64)
{
    var total: UInt64 = 0, least = UInt64.max, most: UInt64 = 0
    for round in 0..<rounds {
        try await before(round)
        let start = world.store.transactionCount
        try await request()
        let spent = world.store.transactionCount - start
        total += spent
        least = min(least, spent)
        most = max(most, spent)
    }
    return (Double(total) / Double(rounds), least, most)
}

func run() async throws {
    let world = try TestWorld()
    try require(try await world.iam("CreateRole", ["RoleName": "app", "AssumeRolePolicyDocument": trust]), "CreateRole app")
    try require(try await world.iam("CreateRole", ["RoleName": "other", "AssumeRolePolicyDocument": trust]), "CreateRole other")
    try require(try await world.iam("CreateUser", ["UserName": "reader"]), "CreateUser")
    let created = try await world.iam("CreatePolicy", ["PolicyName": "read", "PolicyDocument": readPolicy])
    try require(created, "CreatePolicy")
    try require(
        try await world.iam("AttachUserPolicy", ["UserName": "reader", "PolicyArn": created.value("Arn") ?? ""]), "AttachUserPolicy")
    let key = try await world.iam("CreateAccessKey", ["UserName": "reader"])
    try require(key, "CreateAccessKey")
    guard let readerKey = key.value("AccessKeyId") else { throw Failed(description: "no access key id in \(key)") }

    let rounds = 1000
    print("RequestCostBenchmark: SQLite transactions per request (read, write and bookkeeping), in process, \(rounds) requests each")
    for (who, accessKey) in [("root", TestWorld.rootKey), ("a user with an attached policy", readerKey)] {
        let getRole = {
            try require(try await world.iam("GetRole", ["RoleName": "app"], as: accessKey), "GetRole as \(who)")
        }
        try await getRole()
        let warm = try await measure(world, rounds: rounds, before: { _ in }, request: getRole)
        let elsewhere = try await measure(world, rounds: rounds, before: { round in
            try require(
                try await world.iam("TagRole", ["RoleName": "other", "Tags.member.1.Key": "round", "Tags.member.1.Value": "\(round)"]),
                "TagRole")
        }, request: getRole)
        let cold = try await measure(world, rounds: rounds, before: { round in
            try require(
                try await world.iam("TagUser", ["UserName": "reader", "Tags.member.1.Key": "round", "Tags.member.1.Value": "\(round)"]),
                "TagUser")
        }, request: getRole)
        for (state, figures) in [("warm", warm), ("after a write elsewhere", elsewhere), ("cold (after a write to the caller)", cold)] {
            let mean = (figures.mean * 100).rounded() / 100
            print("GetRole as \(who), \(state): \(mean) transactions/request (least \(figures.least), most \(figures.most))")
        }
    }
}

try await run()
