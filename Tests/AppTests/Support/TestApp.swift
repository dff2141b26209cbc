import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// 2 March 2026, 10:00 UTC: every parameter of the catalog has a value then.
let testStart = Date(timeIntervalSince1970: 1_772_445_600)

/// Runs `body` with an application configured on a fresh database, then removes that database.
func withTestApp(
    _ database: TestDatabase,
    clock: ManualClock = ManualClock(testStart),
    settings adjust: (inout AppSettings) -> Void = { _ in },
    _ body: (Application) async throws -> Void
) async throws {
    _ = installCapturingLogs
    var (settings, cleanup) = database.makeSettings()
    adjust(&settings)
    let app = try await Application.make(.testing)
    do {
        try await configure(app, settings: settings, clock: clock)
        try await body(app)
    } catch {
        await tearDown(app, database, cleanup)
        throw error
    }
    await tearDown(app, database, cleanup)
}

private func tearDown(_ app: Application, _ database: TestDatabase, _ cleanup: String) async {
    if database == .postgres, let sql = app.db as? any SQLDatabase {
        try? await sql.raw("DROP SCHEMA IF EXISTS \(ident: cleanup) CASCADE").run()
    }
    try? await app.asyncShutdown()
    if database == .sqlite {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: cleanup + suffix) }
    }
}

/// A decoded JSON response.
struct JSONResponse: @unchecked Sendable {
    let status: HTTPResponseStatus
    let headers: HTTPHeaders
    let body: String
    let json: Any?

    subscript(key: String) -> Any? { (json as? [String: Any])?[key] }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var errorCode: String? { self["error_code"] as? String }
}

extension Application {
    /// Sends a request through the application (in memory) and decodes the JSON answer.
    func send(_ method: HTTPMethod, _ path: String, json: String? = nil, headers: HTTPHeaders = [:]) async throws -> JSONResponse {
        var headers = headers
        var body: ByteBuffer?
        if let json {
            headers.contentType = .json
            body = ByteBuffer(string: json)
        }
        let response = try await testing().sendRequest(method, path, headers: headers, body: body)
        let text = response.body.string
        let json = text.isEmpty ? nil : try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        return JSONResponse(status: response.status, headers: response.headers, body: text, json: json)
    }

    func send(_ method: HTTPMethod, _ path: String, object: Any) async throws -> JSONResponse {
        let data = try JSONSerialization.data(withJSONObject: object)
        return try await send(method, path, json: String(decoding: data, as: UTF8.self))
    }

    /// Opens a session and returns its token.
    func newSession() async throws -> String {
        let response = try await send(.POST, "/api/simulator/sessions")
        #expect(response.status == .created)
        return try #require(response["session_token"] as? String)
    }
}

/// The benchmarks' road haulier (`SampleAnswers.roadHaulier`), as the API's JSON takes it.
nonisolated(unsafe) let haulierAnswers: [String: Any] = {
    let data = try! JSONEncoder().encode(SampleAnswers.roadHaulier)
    return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
}()

/// A sign-up form that passes every check (443 061 841 is a valid SIREN).
func signupForm(email: String = "Jeanne.Martin@Example.fr", password: String = "motdepasse2026") -> [String: Any] {
    [
        "email": email, "password": password, "name": "Jeanne Martin", "company_name": "Transports Martin",
        "phone_number": "01 23 45 67 89", "siren": "443 061 841", "address": "12 rue des Lilas", "city": "Orléans",
        "postal_code": "45000",
    ]
}

extension Application {
    /// A session with the haulier's answers, completed: TICPE, URSSAF, DFS and FONCIER eligible.
    func completedSession(changing changes: [String: Any] = [:]) async throws -> String {
        let token = try await newSession()
        let answers = haulierAnswers.merging(changes) { $1 }
        let put = try await send(.PUT, "/api/simulator/sessions/\(token)/answers", object: ["answers": answers])
        #expect(put.status == .ok)
        let complete = try await send(.POST, "/api/simulator/sessions/\(token)/complete")
        #expect(complete.status == .ok)
        return token
    }

    /// Signs up through the migration route and returns (client id, access token).
    func signUp(token: String, email: String = "jeanne.martin@example.fr") async throws -> (UUID, String) {
        let response = try await send(
            .POST, "/api/session-migration/migrate",
            object: ["session_token": token, "client_data": signupForm(email: email)])
        #expect(response.status == .created)
        let id = try #require((response["client_id"] as? String).flatMap(UUID.init(uuidString:)))
        return (id, try #require(response["access_token"] as? String))
    }

    func send(_ method: HTTPMethod, _ path: String, object: Any, bearer: String) async throws -> JSONResponse {
        let data = try JSONSerialization.data(withJSONObject: object)
        return try await send(method, path, json: String(decoding: data, as: UTF8.self), headers: ["Authorization": "Bearer \(bearer)"])
    }

    func get(_ path: String, bearer: String) async throws -> JSONResponse {
        try await send(.GET, path, json: nil, headers: ["Authorization": "Bearer \(bearer)"])
    }

    func login(_ email: String, _ password: String) async throws -> String {
        let response = try await send(.POST, "/api/auth/login", object: ["email": email, "password": password])
        #expect(response.status == .ok)
        return try #require(response["access_token"] as? String)
    }

    /// PostgreSQL: runs `body` (PL/pgSQL) before each insert of an audit event, the last row a migration
    /// writes; nil removes it. How the tests inject a failure or a delay inside the migration's statement.
    func injectBeforeAuditInsert(_ body: String?) async throws {
        let sql = db as! any SQLDatabase
        guard let body else {
            try await sql.raw(#"DROP TRIGGER IF EXISTS injected_fault ON "AuditEvent""#).run()
            return
        }
        try await sql.raw(
            """
            CREATE OR REPLACE FUNCTION injected_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \(unsafeRaw: body) END $$
            """
        ).run()
        try await sql.raw(
            #"CREATE OR REPLACE TRIGGER injected_fault BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION injected_fault()"#
        ).run()
    }

    /// Counts of the rows a migration writes.
    func migrationRows() async throws -> (clients: Int, products: Int, simulations: Int, audits: Int) {
        (
            try await Client.query(on: db).filter(\.$role == .client).count(), try await ClientProduitEligible.query(on: db).count(),
            try await Simulation.query(on: db).count(), try await AuditEvent.query(on: db).count()
        )
    }
}

/// Every database connection of an application, taken and held until `release()`.
struct HeldConnections: Sendable {
    fileprivate let gate: EventLoopPromise<Void>
    fileprivate let holders: [Task<Void, any Error>]

    func release() async throws {
        gate.succeed(())
        for holder in holders { try await holder.value }
    }
}

extension Application {
    /// Takes the connection of every event loop's pool (one each in the tests) and keeps it, so
    /// that a request finds none free: how the tests make the database busy.
    func holdEveryDatabaseConnection() async throws -> HeldConnections {
        let gate = eventLoopGroup.any().makePromise(of: Void.self)
        var taken: [EventLoopFuture<Void>] = []
        var holders: [Task<Void, any Error>] = []
        for loop in eventLoopGroup.makeIterator() {
            let database = databases.database(logger: logger, on: loop)!
            let acquired = loop.makePromise(of: Void.self)
            taken.append(acquired.futureResult)
            holders.append(
                Task {
                    try await database.withConnection { _ in
                        acquired.succeed(())
                        try await gate.futureResult.get()
                    }
                })
        }
        for future in taken { try await future.get() }
        return HeldConnections(gate: gate, holders: holders)
    }
}

extension JSONResponse {
    /// The body as the API's own response type: a test reads what a client reads.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder.api.decode(T.self, from: Data(body.utf8))
    }

    /// The body of an error response.
    func failure() throws -> ErrorEnvelope {
        try decode(ErrorEnvelope.self)
    }
}

/// The JSON answer of the user's SQL function `migrate_simulator_to_existing_client`.
struct UserFunctionReply: Decodable, Sendable {
    let success: Bool
    let error: String?
    let errorCode: String?
    let clientID: String?
    let clientEmail: String?
    let migratedProductsCount: Int?
    let sessionToken: String?
    let message: String?
    let alreadyMigrated: Bool?
    let products: [ProductOutcome]?

    enum CodingKeys: String, CodingKey {
        case success, error, message, products
        case errorCode = "error_code"
        case clientID = "client_id"
        case clientEmail = "client_email"
        case migratedProductsCount = "migrated_products_count"
        case sessionToken = "session_token"
        case alreadyMigrated = "already_migrated"
    }

    init(json: String) throws {
        self = try JSONDecoder().decode(Self.self, from: Data(json.utf8))
    }
}
