import Fluent
import SQLKit

/// PostgreSQL only: `migrate_simulator_to_existing_client(p_session_token, p_client_email) RETURNS json`,
/// the user's documented function, with the same rules as `MigrationService` for an existing client:
/// claim with a conditional update, client by email ignoring case, products created / updated / kept,
/// the `Simulation` row, the audit event, the outcome kept on the session for retries, and nothing
/// written on failure. On SQLite this migration does nothing.
struct CreateMigrateSimulatorFunction: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw(SQLQueryString(Self.definition)).run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("DROP FUNCTION IF EXISTS migrate_simulator_to_existing_client(text, text)").run()
    }

    static let definition = #"""
    CREATE OR REPLACE FUNCTION migrate_simulator_to_existing_client(p_session_token text, p_client_email text)
    RETURNS json
    LANGUAGE plpgsql
    AS $fn$
    DECLARE
        v_hash text := encode(sha256(convert_to(coalesce(p_session_token, ''), 'UTF8')), 'hex');
        v_now timestamptz := now();
        v_session "TemporarySession"%ROWTYPE;
        v_client "Client"%ROWTYPE;
        v_existing "ClientProduitEligible"%ROWTYPE;
        v_simulation_id uuid := gen_random_uuid();
        v_products jsonb := '[]'::jsonb;
        v_count integer := 0;
        v_outcome text;
        v_reason text;
        v_metadata jsonb;
        v_result jsonb;
        r record;
    BEGIN
        SELECT * INTO v_client FROM "Client"
         WHERE lower("email") = lower(trim(coalesce(p_client_email, ''))) AND "role" = 'client';
        IF NOT FOUND THEN
            RETURN json_build_object('success', false, 'error', 'Client non trouvé avec cet email', 'error_code', 'CLIENT_NOT_FOUND');
        END IF;
        -- Migrations into one client run one after the other.
        UPDATE "Client" SET "updated_at" = v_now WHERE "id" = v_client.id;

        -- Claim the session: only one transaction can move it from completed to migrated.
        UPDATE "TemporarySession"
           SET "status" = 'migrated', "migrated_at" = v_now, "updated_at" = v_now
         WHERE "session_token_hash" = v_hash AND "status" = 'completed' AND "expires_at" > v_now
        RETURNING * INTO v_session;
        IF NOT FOUND THEN
            SELECT * INTO v_session FROM "TemporarySession" WHERE "session_token_hash" = v_hash;
            IF NOT FOUND THEN
                RETURN json_build_object('success', false, 'error', 'Session de simulation introuvable.', 'error_code', 'SESSION_NOT_FOUND');
            ELSIF v_session.status = 'migrated' THEN
                IF v_session.client_id = v_client.id AND v_session.migration_result IS NOT NULL THEN
                    RETURN (jsonb_build_object('success', true, 'client_id', v_client.id, 'client_email', v_client.email,
                        'migrated_products_count', v_session.migration_result::jsonb -> 'migrated_products_count',
                        'session_token', p_session_token, 'already_migrated', true,
                        'message', 'Session déjà migrée vers ce client : rien de plus n''a été écrit.',
                        'products', v_session.migration_result::jsonb -> 'products'))::json;
                END IF;
                RETURN json_build_object('success', false, 'error', 'Cette simulation est déjà rattachée à un compte client.', 'error_code', 'SESSION_ALREADY_MIGRATED');
            ELSIF v_session.status = 'abandoned' THEN
                RETURN json_build_object('success', false, 'error', 'Cette session de simulation a été abandonnée.', 'error_code', 'SESSION_ABANDONED');
            ELSIF v_session.status = 'in_progress' THEN
                RETURN json_build_object('success', false, 'error', 'Session non trouvée ou non complétée', 'error_code', 'SESSION_NOT_COMPLETED');
            END IF;
            RETURN json_build_object('success', false, 'error', 'Cette session de simulation a expiré : recommencez une simulation.', 'error_code', 'SESSION_EXPIRED');
        END IF;

        IF NOT EXISTS (SELECT 1 FROM "TemporaryEligibility" WHERE "session_id" = v_session.id) THEN
            RAISE EXCEPTION 'Cette simulation n''a aucun résultat à rattacher.' USING ERRCODE = 'P0001';
        END IF;

        INSERT INTO "Simulation" ("id", "clientId", "session_id", "answers", "results", "source", "ruleset_version", "created_at")
        VALUES (
            v_simulation_id, v_client.id, v_session.id,
            coalesce((SELECT array_agg(jsonb_build_object(
                        'question_id', tr."question_id",
                        'question_text', coalesce(qq."question_text", tr."question_id"),
                        'question_type', coalesce(qq."question_type", 'inconnu'),
                        'response_value', tr."response_value" -> 'value')
                      ORDER BY coalesce(qq."question_order", 100000), tr."question_id")
                      FROM "TemporaryResponse" tr
                      LEFT JOIN "QuestionnaireQuestion" qq ON qq."question_id" = tr."question_id"
                     WHERE tr."session_id" = v_session.id), '{}'::jsonb[]),
            coalesce((SELECT array_agg(jsonb_build_object(
                        'product_code', te."produit_id",
                        'product_name', coalesce(pe."nom", te."produit_id"),
                        'score', te."eligibility_score",
                        'status', te."status",
                        'estimated_savings', te."estimated_savings",
                        'savings_estimated', te."savings_estimated",
                        'confidence_level', te."confidence_level",
                        'recommendations', to_jsonb(te."recommendations"),
                        'risk_factors', to_jsonb(te."risk_factors"),
                        'missing_inputs', to_jsonb(te."missing_inputs"),
                        'calculation_details', te."calculation_details")
                      ORDER BY te."produit_id")
                      FROM "TemporaryEligibility" te
                      LEFT JOIN "ProduitEligible" pe ON pe."code" = te."produit_id"
                     WHERE te."session_id" = v_session.id), '{}'::jsonb[]),
            'simulator_migration', coalesce(v_session.ruleset_version, ''), v_now);

        FOR r IN
            SELECT te.*, pe."id" AS product_uuid
              FROM "TemporaryEligibility" te
              LEFT JOIN "ProduitEligible" pe ON pe."code" = te."produit_id"
             WHERE te."session_id" = v_session.id
             ORDER BY te."produit_id"
        LOOP
            v_reason := NULL;
            IF r.status NOT IN ('eligible', 'potentiellement_eligible') THEN
                v_outcome := 'not_eligible';
                v_reason := 'Produit non éligible : non rattaché.';
            ELSIF r.product_uuid IS NULL THEN
                v_outcome := 'kept';
                v_reason := 'Produit absent du catalogue : non rattaché.';
            ELSE
                v_metadata := jsonb_build_object(
                    'migrated_from_simulator', true,
                    'source', 'simulator_migration',
                    'original_session_id', v_session.id,
                    'eligibility_score', r.eligibility_score,
                    'estimated_savings', r.estimated_savings,
                    'savings_estimated', r.savings_estimated,
                    'confidence_level', r.confidence_level,
                    'recommendations', to_jsonb(r.recommendations),
                    'risk_factors', to_jsonb(r.risk_factors),
                    'calculation_details', r.calculation_details,
                    'ruleset_version', r.ruleset_version);
                SELECT * INTO v_existing FROM "ClientProduitEligible"
                 WHERE "clientId" = v_client.id AND "produitId" = r.product_uuid
                 FOR UPDATE;
                IF NOT FOUND THEN
                    INSERT INTO "ClientProduitEligible" ("id", "clientId", "produitId", "statut", "tauxFinal", "montantFinal",
                        "dureeFinale", "simulationId", "metadata", "notes", "priorite", "dateEligibilite", "current_step",
                        "progress", "expert_id", "charte_signed", "created_at", "updated_at")
                    VALUES (gen_random_uuid(), v_client.id, r.product_uuid, r.status, r.eligibility_score::double precision / 100,
                        r.estimated_savings, 12, v_simulation_id, v_metadata,
                        'Migration depuis le simulateur - Score : ' || r.eligibility_score || ' %',
                        CASE WHEN r.eligibility_score >= 70 THEN 1 ELSE 2 END, v_now, 0, 0, NULL, false, v_now, v_now);
                    v_outcome := 'created';
                    v_count := v_count + 1;
                ELSIF v_existing.current_step = 0 AND v_existing.expert_id IS NULL AND NOT v_existing.charte_signed THEN
                    UPDATE "ClientProduitEligible"
                       SET "statut" = r.status, "tauxFinal" = r.eligibility_score::double precision / 100,
                           "montantFinal" = r.estimated_savings, "dureeFinale" = 12, "simulationId" = v_simulation_id,
                           "metadata" = v_metadata, "notes" = 'Migration depuis le simulateur - Score : ' || r.eligibility_score || ' %',
                           "priorite" = CASE WHEN r.eligibility_score >= 70 THEN 1 ELSE 2 END,
                           "dateEligibilite" = v_now, "updated_at" = v_now
                     WHERE "id" = v_existing.id;
                    v_outcome := 'updated';
                    v_reason := 'Produit déjà associé, encore non traité : actualisé avec cette simulation.';
                    v_count := v_count + 1;
                ELSE
                    v_outcome := 'kept';
                    v_reason := 'Produit déjà associé et en cours de traitement : conservé tel quel.';
                END IF;
            END IF;
            v_products := v_products || jsonb_build_array(jsonb_build_object(
                'product_code', r.produit_id, 'outcome', v_outcome, 'reason', v_reason, 'status', r.status));
        END LOOP;

        v_result := jsonb_build_object(
            'client_id', v_client.id, 'client_email', v_client.email, 'migrated_products_count', v_count,
            'products', v_products, 'simulation_id', v_simulation_id,
            'migrated_at', to_char(v_now AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));
        UPDATE "TemporarySession" SET "client_id" = v_client.id, "migration_result" = v_result WHERE "id" = v_session.id;

        INSERT INTO "AuditEvent" ("id", "event_type", "actor_type", "actor_id", "session_id", "client_id", "result", "details", "created_at")
        VALUES (gen_random_uuid(), 'session_migrated', 'sql_function', NULL, v_session.id, v_client.id, 'success',
                jsonb_build_object('migrated_products_count', v_count, 'products', v_products), v_now);

        RETURN json_build_object('success', true, 'client_id', v_client.id, 'client_email', v_client.email,
            'migrated_products_count', v_count, 'session_token', p_session_token,
            'message', 'Migration réussie vers le client existant', 'products', v_products);
    EXCEPTION WHEN OTHERS THEN
        RETURN json_build_object('success', false, 'error', SQLERRM, 'error_code', SQLSTATE);
    END;
    $fn$;
    """#
}
