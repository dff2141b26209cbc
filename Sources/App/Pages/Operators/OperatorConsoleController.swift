import Fluent
import Vapor

/// `/operateur/**`: the operators' console (`OperatorOnlyMiddleware` lets only operators in). Reads go
/// through `ConsoleQueries` and the statistics; the actions through the migration service, with the
/// operator as the actor, so each is in the audit trail with the operator's id.
struct OperatorConsoleController {
    func dashboard(request: Request) async throws -> Response {
        let app = request.application
        let now = app.clock.now()
        let typed = (from: request.query[String.self, at: "du"] ?? "", to: request.query[String.self, at: "au"] ?? "")
        var preset: Int? = request.query[Int.self, at: "jours"].flatMap { [7, 30, 90].contains($0) ? $0 : nil }
        var period = ConversionPeriod.last(preset ?? 30, now: now)
        var errors: [String: String] = [:]
        if preset == nil, !typed.from.isEmpty || !typed.to.isEmpty {
            switch ConversionPeriod.parse(from: typed.from.nilIfEmpty, to: typed.to.nilIfEmpty, now: now) {
            case .success(let chosen): period = chosen
            case .failure(let error): errors[error.formField] = error.message
            }
        }
        if preset == nil, errors.isEmpty, period == ConversionPeriod.last(30, now: now) { preset = 30 }
        let figures = try await PeriodStatistics.compute(
            period, catalog: app.catalog, on: request.db, backend: app.backend)
        let page = ConsoleDashboardPage(figures: figures, preset: preset, errors: errors, typed: typed)
        return page.page(catalog: app.catalog, csrf: request.csrfToken).response(for: request)
    }

    /// GET lists them all (or a client's, `?client=<id>`, from the client's page); the filter form is
    /// a POST, so that a client's email never goes in a URL.
    func migrations(request: Request) async throws -> Response {
        let input = try ConsoleInput(request)
        var form = ConsoleMigrationsPage.Form(
            from: input["du"], to: input["au"], outcome: input["resultat"], client: input["client"])
        var filter = ConsoleQueries.MigrationFilter()
        switch ConversionPeriod.filter(from: form.from, to: form.to, now: request.application.clock.now()) {
        case .success(let bounds): (filter.from, filter.until) = (bounds?.start, bounds?.end)
        case .failure(let error): form.errors[error.formField] = error.message
        }
        if ConsoleMigrationsPage.outcomes.contains(where: { $0.value == form.outcome }) {
            filter.outcome = form.outcome.nilIfEmpty
        } else {
            form.errors["resultat"] = "Choisissez un résultat de la liste."
        }
        if let id = UUID(uuidString: input["client"]), let client = try await Client.find(id, on: request.db) {
            filter.clientID = id
            form.client = client.email
        } else if !form.client.isEmpty {
            if let client = try await request.accounts.findClient(email: form.client, on: request.db), client.role == .client {
                filter.clientID = client.id
            } else {
                form.errors["client"] = "Aucun client n'a cette adresse e-mail."
            }
        }
        let offset = max(0, Int(input["depuis"]) ?? 0)
        var entries: [ConsoleQueries.MigrationEntry] = []
        if form.errors.isEmpty { entries = try await ConsoleQueries.migrations(filter, offset: offset, on: request.db) }
        let people = try await accounts(of: entries, on: request.db)
        let page = ConsoleMigrationsPage(form: form, entries: entries, people: people, offset: offset)
        return page.page(csrf: request.csrfToken).response(for: request)
    }

    func migration(request: Request) async throws -> Response {
        guard let id = request.parameters.get("id", as: UUID.self) else { throw Abort(.notFound) }
        let entry: ConsoleQueries.MigrationEntry
        var products: [ProductOutcome] = []
        if let event = try await AuditEvent.find(id, on: request.db), event.eventType == AuditEvent.sessionMigrated {
            products = event.details.products ?? []
            entry = ConsoleQueries.MigrationEntry(event)
        } else if let refusal = try await SessionMigrationRefusal.find(id, on: request.db) {
            entry = ConsoleQueries.MigrationEntry(refusal)
        } else {
            throw Abort(.notFound)
        }
        var session: TemporarySession?
        if let id = entry.sessionID { session = try await TemporarySession.find(id, on: request.db) }
        let people = try await accounts(of: [entry], on: request.db)
        let page = ConsoleMigrationPage(entry: entry, products: products, session: session, people: people)
        return page.page(catalog: request.application.catalog, csrf: request.csrfToken).response(for: request)
    }

    func clients(request: Request) async throws -> Response {
        let text = try ConsoleInput(request)["q"].trimmingCharacters(in: .whitespaces)
        let found = text.isEmpty ? [] : try await ConsoleQueries.searchClients(text, on: request.db)
        return ConsoleClientPages.search(text: text, clients: found, csrf: request.csrfToken).response(for: request)
    }

    func client(request: Request) async throws -> Response {
        guard let id = request.parameters.get("id", as: UUID.self), let client = try await Client.find(id, on: request.db),
            client.role == .client
        else { throw Abort(.notFound) }
        let products = try await ClientProduitEligible.all(of: client, on: request.db)
        let simulations = try await Simulation.all(of: client, on: request.db)
        let audit = try await ConsoleQueries.audit(ofClient: id, on: request.db)
        let people = try await accounts(of: audit, on: request.db)
        let page = ConsoleClientPages.Client(client: client, products: products, simulations: simulations, audit: audit, people: people)
        return page.page(csrf: request.csrfToken).response(for: request)
    }

    func sessions(request: Request) async throws -> Response {
        let input = try ConsoleInput(request)
        var form = ConsoleSessionsPage.Form(status: input["statut"], from: input["du"], to: input["au"])
        let status = SessionStatus(rawValue: form.status)
        if !form.status.isEmpty, status == nil { form.errors["statut"] = "Choisissez un statut de la liste." }
        var bounds: (start: Date, end: Date)?
        switch ConversionPeriod.filter(from: form.from, to: form.to, now: request.application.clock.now()) {
        case .success(let chosen): bounds = chosen
        case .failure(let error): form.errors[error.formField] = error.message
        }
        let offset = max(0, Int(input["depuis"]) ?? 0)
        var lines: [ConsoleQueries.SessionLine] = []
        if form.errors.isEmpty {
            lines = try await ConsoleQueries.sessions(
                status: status, from: bounds?.start, until: bounds?.end, offset: offset, on: request.db)
        }
        let page = ConsoleSessionsPage(form: form, lines: lines, offset: offset, now: request.application.clock.now())
        return page.page(csrf: request.csrfToken).response(for: request)
    }

    func attachForm(request: Request) async throws -> Response {
        ConsoleAttachPages.form(ConsoleAttachPages.Form(), csrf: request.csrfToken).response(for: request)
    }

    /// Checks the session and the client, then shows what attaching would write, to confirm.
    func attachReview(request: Request) async throws -> Response {
        var form = try ConsoleAttachPages.Form(FormValues(request))
        guard let (token, client) = try await checked(&form, request) else {
            return ConsoleAttachPages.form(form, status: .unprocessableEntity, csrf: request.csrfToken).response(for: request)
        }
        do {
            let preview = try await SessionMigrationPreview.make(
                token: token, client: client, simulator: request.simulator, migration: request.sessionMigration, on: request.db)
            return ConsoleAttachPages.confirm(form, preview: preview, catalog: request.application.catalog, csrf: request.csrfToken)
                .response(for: request)
        } catch let error as AppError where error.status.code < 500 {
            form.errors["jeton"] = error.message
            return ConsoleAttachPages.form(form, status: .unprocessableEntity, csrf: request.csrfToken).response(for: request)
        }
    }

    /// Attaches, as the operator, then shows the migration's audit.
    func attach(request: Request) async throws -> Response {
        var form = try ConsoleAttachPages.Form(FormValues(request))
        guard let (token, client) = try await checked(&form, request) else {
            return ConsoleAttachPages.form(form, status: .unprocessableEntity, csrf: request.csrfToken).response(for: request)
        }
        do {
            _ = try await request.sessionMigration.migrate(
                token: token, to: .existingClient(client), actor: .operatorAccount(request.consoleOperator.id!), on: request.db)
        } catch let error as AppError where error.status.code < 500 {
            form.errors["jeton"] = error.message
            return ConsoleAttachPages.form(form, status: .unprocessableEntity, csrf: request.csrfToken).response(for: request)
        }
        let session = try await request.simulator.findSession(token: token, on: request.db)
        guard
            let audit = try await AuditEvent.query(on: request.db).filter(\.$sessionID == session.id)
                .filter(\.$eventType == AuditEvent.sessionMigrated).first()
        else { return request.redirect(to: "/operateur/migrations", redirectType: .normal) }
        return request.redirect(to: "/operateur/migrations/\(audit.id!)", redirectType: .normal)
    }

    /// The token and the client the form names; nil with the form's errors set.
    private func checked(_ form: inout ConsoleAttachPages.Form, _ request: Request) async throws -> (String, Client)? {
        if form.token.isEmpty { form.errors["jeton"] = "Indiquez le jeton de la session que le visiteur vous a transmis." }
        if form.email.isEmpty { form.errors["email"] = "Indiquez l'adresse e-mail du client." }
        guard form.errors.isEmpty else { return nil }
        guard let client = try await request.accounts.findClient(email: form.email, on: request.db), client.role == .client else {
            form.errors["email"] = AppError.clientNotFound.message
            return nil
        }
        return (form.token, client)
    }

    func batches(request: Request) async throws -> Response {
        let recent = try await OperatorBatch.query(on: request.db).sort(\.$createdAt, .descending).limit(20).all()
        return ConsoleBatchPages.upload(error: nil, recent: recent, csrf: request.csrfToken).response(for: request)
    }

    /// Checks the whole file, then starts the batch in the background and shows its progress.
    func uploadBatch(request: Request) async throws -> Response {
        let upload = try? request.content.decode(BatchUpload.self, as: .formData)
        let bytes = upload?.fichier.data.readableBytesView.map { $0 } ?? []
        switch BatchFile.rows(of: Array(bytes)) {
        case .failure(let error):
            let recent = try await OperatorBatch.query(on: request.db).sort(\.$createdAt, .descending).limit(20).all()
            return ConsoleBatchPages.upload(error: error.message, recent: recent, status: .unprocessableEntity, csrf: request.csrfToken)
                .response(for: request)
        case .success(let rows):
            let name = String((upload?.fichier.filename ?? "lot.csv").prefix(120))
            let id = try await request.application.operatorBatches.start(
                rows: rows, fileName: name, operatorID: request.consoleOperator.id!, app: request.application)
            return request.redirect(to: "/operateur/lots/\(id)", redirectType: .normal)
        }
    }

    func batch(request: Request) async throws -> Response {
        let batch = try await findBatch(request)
        let owner = try await Client.find(batch.operatorID, on: request.db)
        return ConsoleBatchPages.progress(batch, operatorEmail: owner?.email, csrf: request.csrfToken).response(for: request)
    }

    /// The per-row report as a CSV file.
    func batchReport(request: Request) async throws -> Response {
        let batch = try await findBatch(request)
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"rapport-lot-\(batch.id!.uuidString.prefix(8)).csv\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: BatchReportRow.csv(batch.reportRows)))
    }

    private func findBatch(_ request: Request) async throws -> OperatorBatch {
        guard let id = request.parameters.get("id", as: UUID.self), let batch = try await OperatorBatch.find(id, on: request.db) else {
            throw Abort(.notFound)
        }
        return batch
    }

    func catalogue(request: Request) async throws -> Response {
        let app = request.application
        return ConsoleCataloguePage.page(
            catalog: app.catalog, loadedAt: app.catalogLoadedAt, today: app.clock.now(), csrf: request.csrfToken
        ).response(for: request)
    }

    /// The accounts named in `entries` (actors and clients), by id, to show their emails.
    private func accounts(of entries: [ConsoleQueries.MigrationEntry], on database: any Database) async throws -> [UUID: Client] {
        let ids = Set(entries.flatMap { [$0.actorID, $0.clientID] }.compactMap { $0 })
        guard !ids.isEmpty else { return [:] }
        let found = try await Client.query(on: database).filter(\.$id ~~ Array(ids)).all()
        return Dictionary(uniqueKeysWithValues: found.map { ($0.id!, $0) })
    }
}

/// The upload form's fields (`multipart/form-data`).
struct BatchUpload: Content {
    var fichier: File
}

/// A console form's fields: the body of a POST (filters that may name a person), or the query of a GET.
struct ConsoleInput {
    private let values: [String: String]

    init(_ request: Request) throws {
        if request.method == .POST {
            let form = try FormValues(request)
            values = form.values.compactMapValues(\.first)
        } else {
            values = (try? request.query.decode([String: String].self)) ?? [:]
        }
    }

    subscript(name: String) -> String { values[name]?.trimmingCharacters(in: .whitespaces) ?? "" }
}
