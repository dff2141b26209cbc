import Vapor

/// Every route, by audience. Each points to its handler; the handlers are thin and call the domain
/// services (`Application+Services.swift`), which take a `Database`.
func routes(_ app: Application) throws {
    let api = app.grouped("api")
    let signedIn = BearerAuthenticator()
    let passwordBudget = AddressLimit(budget: .passwords)

    // Visitors' and clients' pages (cookies, CSRF on every form) and their assets.
    let pages = app.grouped(CSRFMiddleware(), AccountCookieAuthenticator())
    let simulatorPages = SimulatorPagesController()
    pages.get(use: simulatorPages.home)
    let sessionBudget = AddressLimit(budget: .sessions)
    pages.grouped(sessionBudget).post("simulateur", "commencer", use: simulatorPages.start)
    pages.get("simulateur", use: simulatorPages.step)
    pages.post("simulateur", use: simulatorPages.submit)
    pages.get("simulateur", "question", ":id", use: simulatorPages.question)
    pages.get("simulateur", "recapitulatif", use: simulatorPages.recap)
    pages.post("simulateur", "resultats", use: simulatorPages.complete)
    pages.get("simulateur", "resultats", use: simulatorPages.results)
    pages.grouped(sessionBudget).post("simulateur", "recommencer", use: simulatorPages.restart)
    let accountPages = AccountPagesController()
    pages.get("inscription", use: accountPages.signupForm)
    pages.grouped(passwordBudget).post("inscription", use: accountPages.signup)
    pages.get("connexion", use: accountPages.signInForm)
    pages.grouped(passwordBudget).post("connexion", use: accountPages.signIn)
    pages.post("deconnexion", use: accountPages.signOut)
    pages.post("deconnexion", "partout", use: accountPages.signOutEverywhere)
    let clientSpace = ClientSpaceController()
    pages.get("espace", use: clientSpace.dashboard)
    pages.get("espace", "rattacher", use: clientSpace.attachForm)
    pages.post("espace", "rattacher", use: clientSpace.attach)
    pages.get("espace", "rattachement", use: clientSpace.attachOutcome)
    // Operators' console: operators only; every action through the migration service as the operator.
    let operators = app.grouped(AccountCookieAuthenticator(), OperatorOnlyMiddleware())
    let console = operators.grouped(CSRFMiddleware()).grouped("operateur")
    let consolePages = OperatorConsoleController()
    console.get(use: consolePages.dashboard)
    console.get("migrations", use: consolePages.migrations)
    console.post("migrations", use: consolePages.migrations)
    console.get("migrations", ":id", use: consolePages.migration)
    console.get("clients", use: consolePages.clients)
    console.post("clients", use: consolePages.clients)
    console.get("clients", ":id", use: consolePages.client)
    console.get("sessions", use: consolePages.sessions)
    console.get("rattacher", use: consolePages.attachForm)
    console.post("rattacher", "verifier", use: consolePages.attachReview)
    console.post("rattacher", use: consolePages.attach)
    console.get("lots", use: consolePages.batches)
    operators.grouped(CSRFMiddleware(maxBodySize: 2 * BatchFile.maxBytes)).post("operateur", "lots", use: consolePages.uploadBatch)
    console.get("lots", ":id", use: consolePages.batch)
    console.get("lots", ":id", "rapport.csv", use: consolePages.batchReport)
    console.get("catalogue", use: consolePages.catalogue)

    app.get("assets", ":file") { request -> Response in
        switch "/assets/" + (request.parameters.get("file") ?? "") {
        case Assets.stylesheetPath: return Assets.shared.response(Assets.shared.stylesheet)
        case Assets.scriptPath: return Assets.shared.response(Assets.shared.script)
        default: throw Abort(.notFound)
        }
    }

    // For load balancers and API clients.
    let health = HealthController()
    app.get("health", use: health.health)
    app.get("ready", use: health.ready)
    app.get("metrics", use: MetricsController().metrics)
    let contract = try OpenAPIController()
    app.get("openapi.json", use: contract.document)

    // Simulator: anonymous visitors, known by their session token.
    let simulator = SimulatorController()
    let simulatorRoutes = api.grouped("simulator")
    simulatorRoutes.get("questions", use: simulator.questions)
    simulatorRoutes.grouped(sessionBudget).post("sessions", use: simulator.create)
    let session = simulatorRoutes.grouped("sessions", ":token")
    session.get(use: simulator.show)
    session.put("answers", use: simulator.answer)
    session.post("complete", use: simulator.complete)
    session.get("results", use: simulator.results)
    session.post("abandon", use: simulator.abandon)

    // Accounts: sign-in and sign-out.
    let auth = AuthController()
    let authRoutes = api.grouped("auth")
    authRoutes.grouped(passwordBudget).post("login", use: auth.login)
    authRoutes.grouped(signedIn).post("logout", use: auth.logout)
    authRoutes.grouped(signedIn).post("logout-everywhere", use: auth.logoutEverywhere)

    // Client: a signed-in client's own data.
    let client = ClientController()
    let clientRoutes = api.grouped("client").grouped(signedIn)
    clientRoutes.get("me", use: client.me)
    clientRoutes.get("products", use: client.products)
    clientRoutes.get("simulations", use: client.simulations)

    // Session migration: a completed session becomes part of a client account.
    let migration = SessionMigrationController()
    let migrationRoutes = api.grouped("session-migration")
    migrationRoutes.grouped(passwordBudget).post("migrate", use: migration.migrateNewClient)
    migrationRoutes.get("can-migrate", ":token", use: migration.canMigrate)
    migrationRoutes.get("session-data", ":token", use: migration.sessionData)
    migrationRoutes.grouped(signedIn).post("migrate-existing", use: migration.migrateExistingClient)

    // Operators (signed in with the operator role): conversion figures.
    migrationRoutes.grouped(signedIn).get("stats", use: migration.stats)
}

/// Every command beside `serve` (Vapor's) and `routes` (Vapor's: prints the table above).
func commands(_ app: Application) {
    app.asyncCommands.use(SchemaMigrateCommand(), as: "migrate")
    app.asyncCommands.use(MigrateSessionCommand(), as: "migrate-session")
    app.asyncCommands.use(MigrateBatchCommand(), as: "migrate-batch")
    app.asyncCommands.use(StatsCommand(), as: "stats")
    app.asyncCommands.use(CreateOperatorCommand(), as: "create-operator")
    app.asyncCommands.use(PurgeSessionsCommand(), as: "purge-sessions")
    app.asyncCommands.use(CatalogCommands(), as: "catalog")
}
