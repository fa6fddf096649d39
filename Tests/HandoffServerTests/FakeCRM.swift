import Foundation
import HTTPTypes
import Hummingbird

/// A CRM on a free loopback port that speaks the two write-back APIs as their documents define
/// them, checks every request's method, path, headers and JSON, and answers from a script:
///
/// - HubSpot CRM v3 `PATCH /crm/v3/objects/contacts/{id}`: a JSON object whose only member is
///   `properties`, an object of string values; 200 with the record (developers.hubspot.com,
///   "Update a contact").
/// - Salesforce REST `PATCH /services/data/vNN.N/sobjects/{object}/{id}`: a flat JSON object of
///   scalar values; 204 (developer.salesforce.com, "Update a Record").
/// - Any POST (webhook alerts, CRM sync): 200, recorded.
///
/// A request that breaks the shape gets the vendor's 400, so a test fails through dead letter.
/// `script[path]` queues answers for a path (status, headers, body); when empty the path succeeds.
actor FakeCRM {
    struct Request: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: String
    }

    struct Answer: Sendable {
        var status: Int
        var headers: [String: String] = [:]
        var body: String = ""
    }

    static let bearer = "pat-na1-11111111-2222-3333-4444-555555555555"

    private(set) var requests: [Request] = []
    private var script: [String: [Answer]] = [:]
    /// While true, every PATCH answers 503 (a CRM that is down).
    private var down = false
    private var task: Task<Void, any Error>?
    private(set) var port = 0

    func queue(_ path: String, _ answers: [Answer]) { script[path, default: []] += answers }
    func setDown(_ value: Bool) { down = value }
    func patches(_ path: String) -> [Request] { requests.filter { $0.method == "PATCH" && $0.path == path } }

    private func answer(_ request: Request, vendorProblem: String?) -> Answer {
        requests.append(request)
        if down { return Answer(status: 503, body: "down for maintenance") }
        if var queued = script[request.path], !queued.isEmpty {
            let next = queued.removeFirst()
            script[request.path] = queued
            return next
        }
        if let vendorProblem { return Answer(status: 400, body: vendorProblem) }
        if request.method == "PATCH" && request.path.hasPrefix("/services/") { return Answer(status: 204) }
        return Answer(status: 200, body: request.method == "PATCH" ? #"{"id":"1","properties":{}}"# : "")
    }

    /// What is wrong with a HubSpot update, in HubSpot's error shape; nil when it is right.
    static func hubSpotProblem(_ request: Request) -> String? {
        guard request.headers["authorization"] == "Bearer \(bearer)" else {
            return #"{"status":"error","message":"Authentication credentials not found.","category":"INVALID_AUTHENTICATION"}"#
        }
        guard request.headers["content-type"]?.hasPrefix("application/json") == true,
            let object = try? JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: Any], object.keys.sorted() == ["properties"],
            let properties = object["properties"] as? [String: Any], !properties.isEmpty, properties.values.allSatisfy({ $0 is String })
        else {
            return #"{"status":"error","message":"Invalid input JSON: expected {\"properties\": {name: string}}","category":"VALIDATION_ERROR"}"#
        }
        return nil
    }

    /// What is wrong with a Salesforce update, in Salesforce's error shape; nil when it is right.
    static func salesforceProblem(_ request: Request) -> String? {
        guard request.headers["authorization"] == "Bearer \(bearer)" else {
            return #"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#
        }
        guard request.headers["content-type"]?.hasPrefix("application/json") == true,
            let object = try? JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: Any], !object.isEmpty,
            object.values.allSatisfy({ $0 is String || $0 is NSNumber || $0 is NSNull })
        else {
            return #"[{"message":"Json Deserialization failed on token 'null'","errorCode":"JSON_PARSER_ERROR"}]"#
        }
        return nil
    }

    private nonisolated func handle(
        _ request: Hummingbird.Request, _ path: String, _ check: (@Sendable (Request) -> String?)?
    ) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let recorded = Request(method: request.method.rawValue, path: path, headers: headers, body: String(buffer: body))
        let answer = await self.answer(recorded, vendorProblem: check?(recorded))
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        for (name, value) in answer.headers { if let field = HTTPField.Name(name) { fields[field] = value } }
        return Response(status: .init(code: answer.status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: answer.body)))
    }

    func start() async throws {
        let router = Router()
        router.patch("/crm/v3/objects/contacts/{id}") { request, context in
            try await self.handle(request, "/crm/v3/objects/contacts/" + (context.parameters.get("id") ?? ""), Self.hubSpotProblem)
        }
        router.patch("/services/data/{version}/sobjects/{object}/{id}") { request, context in
            let p = context.parameters
            return try await self.handle(
                request, "/services/data/\(p.get("version") ?? "")/sobjects/\(p.get("object") ?? "")/\(p.get("id") ?? "")", Self.salesforceProblem)
        }
        router.post("{path}") { request, context in try await self.handle(request, "/" + (context.parameters.get("path") ?? ""), nil) }
        (task, port) = await LoopbackServer.start(router)
    }

    func stop() { task?.cancel() }
}
