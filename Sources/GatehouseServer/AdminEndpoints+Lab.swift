import Hummingbird
import JSON
import Storage

/// `/_gatehouse/lab`: an instructor's lab (`gatehouse lab …`). POST with
/// `?learners=N` and an optional lab seed as the body makes N learners;
/// GET answers the roster; `POST /_gatehouse/lab/learners/NAME/reset` puts
/// one learner's account back to its seed.
extension AdminEndpoints {
    @Sendable func createLab(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        guard let count = request.uri.queryParameters["learners"].flatMap({ Int(String($0)) }) else {
            throw AdminFailure(.badRequest, "give the number of learners: ?learners=N")
        }
        let body = try await request.body.collect(upTo: 1024 * 1024)
        let text = body.readableBytes == 0 ? Lab.defaultSeed : String(buffer: body)
        do {
            let learners = try await lab.create(learners: count, seed: try Lab.Seed(text))
            return Self.roster(learners, signInURL: signInURL)
        } catch let failure as Lab.Failure {
            throw AdminFailure(.badRequest, failure.description)
        }
    }

    @Sendable func labRoster(_ request: Request, context: GatehouseRequestContext) throws -> Response {
        Self.roster(try lab.roster(), signInURL: signInURL)
    }

    @Sendable func resetLearner(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        let name = context.parameters.get("name") ?? ""
        do {
            return Self.roster([try await lab.reset(name)], signInURL: signInURL)
        } catch let failure as Lab.Failure {
            throw AdminFailure(.notFound, failure.description)
        }
    }

    var signInURL: String { "http://\(environment.settings.advertisedHost)/console" }

    static func roster(_ learners: [LabLearnerRecord], signInURL: String) -> Response {
        json(.ok) { w in
            w.key("learners")
            w.arrayStart()
            for learner in learners {
                w.objectStart()
                w.key("learner"); w.value(learner.name)
                w.key("accountId"); w.value(learner.accountId)
                w.key("userName"); w.value(learner.userName)
                w.key("password"); w.value(learner.password)
                w.key("accessKeyId"); w.value(learner.accessKeyId)
                w.key("secretAccessKey"); w.value(learner.secretAccessKey)
                w.key("signInURL"); w.value(signInURL)
                w.objectEnd()
            }
            w.arrayEnd()
        }
    }
}
