-- passerelle_migrate_session: the migration's writes on PostgreSQL, shared by the application
-- (SessionMigrationService) and the user's documented function migrate_simulator_to_existing_client.
--
-- Locks the client (migrations into one client run one after the other), claims the session with a
-- conditional update, then writes everything else in one set-based statement: the Simulation row
-- (every answer with its question, every result), one ClientProduitEligible per eligible product
-- (created, refreshed while no one has worked on it yet, or kept), the outcome on the session and
-- the audit event. What each product row holds (status, rate, amount, duration, notes, priority) is
-- the plan the application decided when the session was completed (TemporaryEligibility.plan_*),
-- and every sentence comes from SessionMigrationText, both written by the application: this
-- function copies them and decides nothing but what the rows it finds say. The answers, results and
-- product metadata are the documents the application
-- stored when the session was completed (SessionMigrationDocuments), copied as they are: read by the
-- INSERTs straight from the session's rows, never through a PL/pgSQL variable, so PostgreSQL
-- moves their compressed bytes instead of decompressing and compressing them again. Returns the
-- outcome as SessionMigrationOutcome encodes it, or {"refused": …} without writing anything when the
-- session cannot be claimed. Raises on any other failure: the caller's transaction then leaves
-- nothing behind.
--
-- p_timeout_ms bounds the migration (MIGRATION_TIMEOUT): no lock is waited for longer, and a call
-- that ran longer raises query_canceled (57014) at its end, so that it is rolled back even when it
-- is its own transaction.
CREATE OR REPLACE FUNCTION passerelle_migrate_session(
    p_token_hash text, p_client_id uuid, p_actor_type text, p_actor_id uuid, p_now timestamptz, p_timeout_ms integer)
RETURNS jsonb
LANGUAGE plpgsql
AS $fn$
DECLARE
    v_email text;
    v_session_id uuid;
    v_ruleset text;
    v_documents_missing boolean;
    v_simulation_id uuid := gen_random_uuid();
    v_outcome jsonb;
BEGIN
    PERFORM set_config('lock_timeout', p_timeout_ms || 'ms', true);
    SELECT "email" INTO v_email FROM "Client" WHERE "id" = p_client_id FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RETURN jsonb_build_object('refused', 'client_not_found');
    END IF;

    -- Only one transaction can move the session from completed to migrated.
    UPDATE "TemporarySession"
       SET "status" = 'migrated', "client_id" = p_client_id, "migrated_at" = p_now, "updated_at" = p_now
     WHERE "session_token_hash" = p_token_hash AND "status" = 'completed' AND "expires_at" > p_now
    RETURNING "id", "ruleset_version", "simulation_answers" IS NULL OR "simulation_results" IS NULL
      INTO v_session_id, v_ruleset, v_documents_missing;
    IF NOT FOUND THEN
        RETURN coalesce(
            (SELECT jsonb_build_object('refused', "status", 'client_id', "client_id", 'migration_result', "migration_result")
               FROM "TemporarySession" WHERE "session_token_hash" = p_token_hash),
            jsonb_build_object('refused', 'not_found'));
    END IF;
    -- Results, plans and documents are written together when the session is completed; without them, nothing.
    IF v_documents_missing
       OR (SELECT count(*) = 0 OR bool_or(("plan_statut" IS NULL) <> ("product_metadata" IS NULL))
             FROM "TemporaryEligibility" WHERE "session_id" = v_session_id) THEN
        RAISE EXCEPTION '%', (SELECT "message" FROM "SessionMigrationText" WHERE "code" = 'NO_RESULTS')
            USING ERRCODE = 'P0001', HINT = 'NO_RESULTS';
    END IF;

    WITH results AS MATERIALIZED (
        SELECT te."produit_id", te."status", te."product_metadata", te."plan_statut", te."plan_taux", te."plan_montant",
               te."plan_duree", te."plan_notes", te."plan_priorite",
               pe."id" AS product_uuid,
               te."plan_statut" IS NOT NULL AS is_eligible,
               gen_random_uuid() AS new_id
          FROM "TemporaryEligibility" te
          LEFT JOIN "ProduitEligible" pe ON pe."code" = te."produit_id"
         WHERE te."session_id" = v_session_id
    ),
    simulation AS (
        INSERT INTO "Simulation" ("id", "clientId", "session_id", "answers", "results", "source", "ruleset_version", "created_at")
        SELECT v_simulation_id, p_client_id, v_session_id,
            ts."simulation_answers", ts."simulation_results",
            'simulator_migration', coalesce(v_ruleset, ''), p_now
          FROM "TemporarySession" ts WHERE ts."id" = v_session_id
    ),
    written AS (
        -- In product order, so two transactions never take the same rows in opposite orders.
        INSERT INTO "ClientProduitEligible" AS cpe ("id", "clientId", "produitId", "statut", "tauxFinal", "montantFinal",
            "dureeFinale", "simulationId", "metadata", "notes", "priorite", "dateEligibilite", "current_step",
            "progress", "expert_id", "charte_signed", "created_at", "updated_at")
        SELECT r.new_id, p_client_id, r.product_uuid, r."plan_statut", r."plan_taux", r."plan_montant", r."plan_duree",
            v_simulation_id, r."product_metadata", r."plan_notes", r."plan_priorite", p_now, 0, 0, NULL, false, p_now, p_now
          FROM results r
         WHERE r.is_eligible AND r.product_uuid IS NOT NULL
         ORDER BY r."produit_id"
        -- A product the client already has is refreshed only while no one has worked on it yet.
        ON CONFLICT ("clientId", "produitId") DO UPDATE
           SET "statut" = excluded."statut", "tauxFinal" = excluded."tauxFinal", "montantFinal" = excluded."montantFinal",
               "dureeFinale" = excluded."dureeFinale", "simulationId" = excluded."simulationId",
               "metadata" = excluded."metadata", "notes" = excluded."notes", "priorite" = excluded."priorite",
               "dateEligibilite" = excluded."dateEligibilite", "updated_at" = excluded."updated_at"
         WHERE cpe."current_step" = 0 AND cpe."expert_id" IS NULL AND NOT cpe."charte_signed"
        RETURNING cpe."id", cpe."produitId"
    ),
    texts AS MATERIALIZED (
        SELECT "code", "message" FROM "SessionMigrationText" WHERE "code" LIKE 'outcome.%'
    ),
    outcomes AS (
        SELECT r."produit_id", r."status",
               CASE WHEN NOT r.is_eligible THEN 'not_eligible'
                    WHEN r.product_uuid IS NULL THEN 'kept'
                    WHEN w."id" = r.new_id THEN 'created'
                    WHEN w."id" IS NOT NULL THEN 'updated'
                    ELSE 'kept' END AS outcome,
               t."message" AS reason
          FROM results r
          LEFT JOIN written w ON w."produitId" = r.product_uuid
          LEFT JOIN texts t ON t."code" = CASE WHEN NOT r.is_eligible THEN 'outcome.not_eligible'
                                               WHEN r.product_uuid IS NULL THEN 'outcome.not_in_catalog'
                                               WHEN w."id" = r.new_id THEN NULL
                                               WHEN w."id" IS NOT NULL THEN 'outcome.updated'
                                               ELSE 'outcome.kept' END
    ),
    summary AS (
        SELECT jsonb_build_object(
                   'client_id', p_client_id, 'client_email', v_email,
                   'migrated_products_count', count(*) FILTER (WHERE o.outcome IN ('created', 'updated')),
                   'products', jsonb_agg(jsonb_build_object('product_code', o."produit_id", 'outcome', o.outcome,
                                                            'reason', o.reason, 'status', o."status") ORDER BY o."produit_id"),
                   'simulation_id', v_simulation_id,
                   'migrated_at', to_char(p_now AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')) AS outcome
          FROM outcomes o
    ),
    marked AS (
        UPDATE "TemporarySession" SET "migration_result" = (SELECT outcome FROM summary) WHERE "id" = v_session_id
    ),
    audited AS (
        INSERT INTO "AuditEvent" ("id", "event_type", "actor_type", "actor_id", "session_id", "client_id", "result", "details", "created_at")
        SELECT gen_random_uuid(), 'session_migrated', p_actor_type, p_actor_id, v_session_id, p_client_id, 'success',
               jsonb_build_object('migrated_products_count', s.outcome -> 'migrated_products_count', 'products', s.outcome -> 'products'),
               p_now
          FROM summary s
    )
    SELECT outcome INTO v_outcome FROM summary;

    IF clock_timestamp() - statement_timestamp() > p_timeout_ms * interval '1 millisecond' THEN
        RAISE EXCEPTION '%', (SELECT "message" FROM "SessionMigrationText" WHERE "code" = 'MIGRATION_TIMEOUT')
            USING ERRCODE = '57014', HINT = 'MIGRATION_TIMEOUT';
    END IF;
    RETURN v_outcome;
END;
$fn$;
