-- migrate_simulator_to_existing_client: the user's documented function.
--   SELECT migrate_simulator_to_existing_client('TOKEN', 'client@email.com');
-- Finds the client by email whatever its case, migrates through passerelle_migrate_session (the
-- same writes as the application) and answers the document's JSON:
-- {success, client_id, client_email, migrated_products_count, session_token, message}, or
-- {success: false, error, error_code} with nothing written.
--
-- Its time limit is the setting passerelle.migration_timeout, in milliseconds (100 to 600000), 30000
-- when unset; for example ALTER DATABASE … SET passerelle.migration_timeout = '5000'. Past it, or
-- when a lock is not granted within it, the answer is {success: false, error_code: MIGRATION_TIMEOUT}.
-- A cancellation or statement_timeout of the caller's own stays the caller's error. Its sentences
-- are the application's, read from SessionMigrationText.
CREATE OR REPLACE FUNCTION migrate_simulator_to_existing_client(p_session_token text, p_client_email text)
RETURNS json
LANGUAGE plpgsql
AS $fn$
DECLARE
    v_client_id uuid;
    v_client_email text;
    v_result jsonb;
    v_hint text;
    v_setting text := coalesce(current_setting('passerelle.migration_timeout', true), '');
    v_timeout_ms integer := 30000;
    v_texts jsonb := (SELECT jsonb_object_agg("code", "message") FROM "SessionMigrationText");
BEGIN
    IF v_setting <> '' THEN
        -- Digits first: only then is the cast safe.
        v_timeout_ms := CASE WHEN v_setting ~ '^[0-9]{1,6}$' THEN v_setting::integer END;
        IF v_timeout_ms IS NULL OR v_timeout_ms NOT BETWEEN 100 AND 600000 THEN
            RETURN json_build_object('success', false, 'error_code', 'INVALID_SETTING', 'error',
                'Réglage passerelle.migration_timeout invalide (' || v_setting || ') : un nombre de millisecondes entre 100 et 600000 est attendu.');
        END IF;
    END IF;

    SELECT "id", "email" INTO v_client_id, v_client_email FROM "Client"
     WHERE lower("email") = lower(trim(coalesce(p_client_email, ''))) AND "role" = 'client';
    IF NOT FOUND THEN
        RETURN json_build_object('success', false, 'error', v_texts ->> 'CLIENT_NOT_FOUND', 'error_code', 'CLIENT_NOT_FOUND');
    END IF;

    v_result := passerelle_migrate_session(encode(sha256(convert_to(coalesce(p_session_token, ''), 'UTF8')), 'hex'),
                                           v_client_id, 'sql_function', NULL, now(), v_timeout_ms);
    CASE v_result ->> 'refused'
        WHEN 'not_found', 'client_not_found' THEN
            RETURN json_build_object('success', false, 'error', v_texts ->> 'SESSION_NOT_FOUND', 'error_code', 'SESSION_NOT_FOUND');
        WHEN 'migrated' THEN
            IF (v_result ->> 'client_id')::uuid = v_client_id AND jsonb_typeof(v_result -> 'migration_result') = 'object' THEN
                RETURN (jsonb_build_object('success', true, 'client_id', v_client_id, 'client_email', v_client_email,
                    'migrated_products_count', v_result -> 'migration_result' -> 'migrated_products_count',
                    'session_token', p_session_token, 'already_migrated', true,
                    'message', v_texts ->> 'reply.already_migrated',
                    'products', v_result -> 'migration_result' -> 'products'))::json;
            END IF;
            RETURN json_build_object('success', false, 'error', v_texts ->> 'SESSION_ALREADY_MIGRATED', 'error_code', 'SESSION_ALREADY_MIGRATED');
        WHEN 'abandoned' THEN
            RETURN json_build_object('success', false, 'error', v_texts ->> 'SESSION_ABANDONED', 'error_code', 'SESSION_ABANDONED');
        WHEN 'in_progress' THEN
            RETURN json_build_object('success', false, 'error', v_texts ->> 'SESSION_NOT_COMPLETED', 'error_code', 'SESSION_NOT_COMPLETED');
        WHEN 'completed' THEN
            RETURN json_build_object('success', false, 'error', v_texts ->> 'SESSION_EXPIRED', 'error_code', 'SESSION_EXPIRED');
        ELSE
            NULL;
    END CASE;

    RETURN json_build_object('success', true, 'client_id', v_client_id, 'client_email', v_client_email,
        'migrated_products_count', v_result -> 'migrated_products_count', 'session_token', p_session_token,
        'message', v_texts ->> 'reply.migrated_existing', 'products', v_result -> 'products');
EXCEPTION
    -- Everything this call wrote is rolled back with the block.
    WHEN lock_not_available OR query_canceled THEN
        -- A lock not granted in time, or our own deadline (its hint); any other cancellation is the caller's.
        GET STACKED DIAGNOSTICS v_hint = PG_EXCEPTION_HINT;
        IF SQLSTATE = '57014' AND v_hint IS DISTINCT FROM 'MIGRATION_TIMEOUT' THEN
            RAISE;
        END IF;
        RETURN json_build_object('success', false, 'error', v_texts ->> 'MIGRATION_TIMEOUT', 'error_code', 'MIGRATION_TIMEOUT');
    WHEN OTHERS THEN
        -- Our own errors carry their code as hint.
        GET STACKED DIAGNOSTICS v_hint = PG_EXCEPTION_HINT;
        RETURN json_build_object('success', false, 'error', SQLERRM, 'error_code', coalesce(nullif(v_hint, ''), SQLSTATE));
END;
$fn$;
