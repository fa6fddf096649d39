import Foundation
import HTTPTypes
import Hummingbird

/// A loopback ntfy server that checks each publish as https://docs.ntfy.sh/publish/#publish-as-json
/// describes it: a POST (or PUT) to the root URL with a JSON object whose only required member is
/// `topic`; `priority` 1…5; at most three `actions`, each with `action`, `label` and `url` (an
/// `http` action's `method` one of GET/POST/PUT/…); a protected topic's `Authorization: Bearer`.
/// A request that breaks the shape is answered 400 with the reason (and kept in ``problems``), as
/// the real server refuses it; `failNext` answers the next requests with a status (429, 500…).
actor FakeNtfy {
    struct Publish: Sendable {
        let authorization: String?
        let contentType: String?
        let body: Data

        /// The published JSON object.
        var object: [String: Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:] }
    }

    private(set) var published: [Publish] = []
    private(set) var problems: [String] = []
    private var failures: [Int] = []
    private var task: Task<Void, any Error>?
    private(set) var port = 0
    /// The token a protected topic requires (by topic).
    let protectedTopics: [String: String]

    init(protectedTopics: [String: String] = [:]) {
        self.protectedTopics = protectedTopics
    }

    func failNext(_ statuses: [Int]) { failures = statuses }

    func start() async throws {
        let router = Router()
        router.post("/") { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            return await self.handle(
                authorization: request.headers[.authorization], contentType: request.headers[.contentType], body: Data(buffer: body))
        }
        router.post("{topic}") { _, _ in
            Response(
                status: .badRequest, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"error":"JSON publishing goes to the root URL"}"#)))
        }
        (task, port) = await LoopbackServer.start(router)
    }

    func handle(authorization: String?, contentType: String?, body: Data) -> Response {
        if !failures.isEmpty {
            return Response(status: .init(code: failures.removeFirst()))
        }
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { return refuse("body is not a JSON object") }
        guard let topic = object["topic"] as? String, !topic.isEmpty else { return refuse("topic is required") }
        if let required = protectedTopics[topic], authorization != "Bearer \(required)" {
            problems.append("unauthorized publish to \(topic)")
            return Response(status: .forbidden)
        }
        if let priority = object["priority"] {
            guard let value = priority as? Int, (1...5).contains(value) else { return refuse("priority must be 1…5") }
        }
        if let actions = object["actions"] {
            guard let list = actions as? [[String: Any]], list.count <= 3 else { return refuse("at most three actions") }
            for action in list {
                guard let kind = action["action"] as? String, ["view", "http", "broadcast", "copy"].contains(kind),
                    action["label"] is String, let url = action["url"] as? String, URL(string: url)?.scheme != nil
                else { return refuse("an action needs action, label and url") }
                if kind == "http", let method = action["method"], !["GET", "POST", "PUT", "DELETE", "PATCH"].contains(method as? String ?? "") {
                    return refuse("http action method")
                }
            }
        }
        published.append(Publish(authorization: authorization, contentType: contentType, body: body))
        let id = UUID().uuidString.prefix(12)
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: #"{"id":"\#(id)","event":"message","topic":"\#(topic)"}"#)))
    }

    private func refuse(_ problem: String) -> Response {
        problems.append(problem)
        return Response(status: .badRequest, body: .init(byteBuffer: ByteBuffer(string: problem)))
    }

    func stop() { task?.cancel() }
}
