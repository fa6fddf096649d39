import Foundation
import HTTPTypes
import Hummingbird

/// A loopback Web Push service (RFC 8030 §5): takes `POST /push/{id}` and answers 201 Created, or
/// the status scripted for that subscription (410 Gone for one the browser dropped, 429, 5xx…).
/// It keeps each request's headers (by lowercased name) and body for the test to check and to decrypt.
actor FakePushService {
    struct Push: Sendable {
        let subscription: String
        let headers: [String: String]
        let body: Data
    }

    private(set) var pushes: [Push] = []
    private var statuses: [String: Int] = [:]
    private var task: Task<Void, any Error>?
    private(set) var port = 0

    func answer(_ subscription: String, with status: Int) { statuses[subscription] = status }

    func endpoint(_ subscription: String) -> String { "http://127.0.0.1:\(port)/push/\(subscription)" }

    func start() async throws {
        let router = Router()
        router.post("/push/{id}") { request, context in
            var request = request
            let id = context.parameters.get("id") ?? ""
            let body = try await request.collectBody(upTo: 8192)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            return await self.take(Push(subscription: id, headers: headers, body: Data(buffer: body)))
        }
        (task, port) = await LoopbackServer.start(router)
    }

    private func take(_ push: Push) -> Response {
        pushes.append(push)
        let status = statuses[push.subscription] ?? 201
        var headers: HTTPFields = [:]
        if status == 201 { headers[.location] = "/message/\(pushes.count)" }
        return Response(status: .init(code: status), headers: headers)
    }

    func stop() { task?.cancel() }
}
