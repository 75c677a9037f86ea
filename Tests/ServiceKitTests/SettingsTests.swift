import ServiceKit
import Testing

@Suite("Operator settings")
struct SettingsTests {
    typealias Settings = ServiceEnvironment.Settings

    @Test("without a registry domain every registry is the advertised host, and no Host names one")
    func noDomain() {
        let settings = Settings(defaultAccountId: "000000000000", defaultRegion: "us-east-1", advertisedHost: "127.0.0.1:4566")
        #expect(settings.registryHost(account: "123456789012", region: "eu-west-1") == "127.0.0.1:4566")
        #expect(settings.registry(forHost: "123456789012.dkr.ecr.eu-west-1.example.test") == nil)
    }

    @Test("with a registry domain, registries are ACCOUNT.dkr.ecr.REGION.<domain> with the advertised port")
    func domain() {
        let settings = Settings(
            defaultAccountId: "000000000000", defaultRegion: "us-east-1", advertisedHost: "127.0.0.1:4566",
            registryDomain: "Example.Test")
        #expect(settings.registryHost(account: "123456789012", region: "eu-west-1") == "123456789012.dkr.ecr.eu-west-1.example.test:4566")
        let named = settings.registry(forHost: "123456789012.DKR.ecr.eu-west-1.example.test:4566")
        #expect(named?.account == "123456789012" && named?.region == "eu-west-1")
        for host in ["example.test", "12345.dkr.ecr.eu-west-1.example.test", "123456789012.dkr.ecr..example.test",
                     "123456789012.dkr.ecr.eu-west-1.other.test", "x.123456789012.dkr.ecr.eu-west-1.example.test",
                     "123456789012.dkr.ecr.zz-fake-9.example.test"] {
            #expect(settings.registry(forHost: host) == nil, "\(host)")
        }
    }

    @Test("the advertised host can be named once the listener is bound, and every copy sees it")
    func advertise() {
        let settings = Settings(defaultAccountId: "000000000000", defaultRegion: "us-east-1", advertisedHost: "127.0.0.1:0")
        let copy = settings
        settings.advertise("127.0.0.1:40123")
        #expect(copy.advertisedHost == "127.0.0.1:40123")
    }
}
