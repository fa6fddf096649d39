import HandoffPersistence

/// The SQLite migrations (``StoreMigrations/names``, the one list of names) translated
/// to PostgreSQL, statement by statement (the extended protocol runs one statement per query).
///
/// Translation rules, kept the same for every later migration:
/// - `INTEGER PRIMARY KEY` row ids and `seq` columns → `bigserial`; other INTEGERs → `bigint`
///   (times in milliseconds since 1970-01-01 UTC, money in minor units, counters).
/// - `REAL` → `double precision` (binary protocol: all 53 bits round-trip); `BLOB` → `bytea`.
/// - `TEXT … CHECK (json_valid(x))` → `json`. Not `jsonb`: `json` validates on input and
///   keeps the text exactly as written, which `JSONText` promises ("the JSON text, exactly as
///   stored"); `jsonb` would rewrite spacing and key order. Nothing queries inside these
///   documents, so jsonb's indexing buys nothing here.
/// - Text keys that reads sort by are `COLLATE "C"`: byte order, as SQLite sorts, whatever
///   locale the database was created with.
/// - Partial unique indexes are written exactly as in SQLite.
enum PostgresSchema {
    static let translations: [String: [String]] = [
        "0001-leads-events-scores": [
            """
            CREATE TABLE leads (
                id text COLLATE "C" PRIMARY KEY CHECK (length(id) > 0),
                fields json NOT NULL,
                source text,
                campaign text,
                created_at bigint NOT NULL,
                updated_at bigint NOT NULL
            )
            """,
            "CREATE INDEX leads_created_at ON leads(created_at)",
            """
            CREATE TABLE engagement_events (
                seq bigserial PRIMARY KEY,
                event_id text NOT NULL UNIQUE CHECK (length(event_id) > 0),
                lead_id text COLLATE "C" NOT NULL REFERENCES leads(id),
                type text NOT NULL,
                occurred_at bigint NOT NULL,
                received_at bigint NOT NULL,
                payload json NOT NULL
            )
            """,
            "CREATE INDEX engagement_events_lead ON engagement_events(lead_id, occurred_at)",
            "CREATE INDEX engagement_events_occurred_at ON engagement_events(occurred_at)",
            """
            CREATE TABLE scores (
                id bigserial PRIMARY KEY,
                lead_id text COLLATE "C" NOT NULL REFERENCES leads(id),
                model_sha256 text NOT NULL,
                model_format text NOT NULL,
                probability double precision NOT NULL CHECK (probability >= 0 AND probability <= 1),
                points double precision NOT NULL,
                fit_points double precision NOT NULL,
                engagement_points double precision NOT NULL,
                reasons json NOT NULL,
                scored_at bigint NOT NULL,
                trigger_event_id text
            )
            """,
            "CREATE INDEX scores_lead ON scores(lead_id, scored_at)",
            "CREATE INDEX scores_scored_at ON scores(scored_at)",
            "CREATE INDEX scores_model ON scores(model_sha256)",
        ],
        "0002-qualification-routing": [
            """
            CREATE TABLE qualification_decisions (
                id bigserial PRIMARY KEY,
                lead_id text COLLATE "C" NOT NULL REFERENCES leads(id),
                stage text NOT NULL CHECK (stage IN ('nurture', 'mql', 'sql')),
                priority text NOT NULL,
                rule text NOT NULL,
                evidence json NOT NULL,
                decided_at bigint NOT NULL,
                score_id bigint REFERENCES scores(id)
            )
            """,
            "CREATE INDEX qualification_decisions_lead ON qualification_decisions(lead_id, decided_at)",
            "CREATE INDEX qualification_decisions_decided_at ON qualification_decisions(decided_at)",
            """
            CREATE TABLE reps (
                id text COLLATE "C" PRIMARY KEY CHECK (length(id) > 0),
                name text NOT NULL,
                time_zone text NOT NULL,
                status text NOT NULL CHECK (status IN ('active', 'left')),
                left_at bigint,
                profile json NOT NULL,
                updated_at bigint NOT NULL
            )
            """,
            """
            CREATE TABLE assignments (
                id bigserial PRIMARY KEY,
                lead_id text COLLATE "C" NOT NULL REFERENCES leads(id),
                rep_id text COLLATE "C" REFERENCES reps(id),
                queue text,
                rule text NOT NULL,
                assigned_at bigint NOT NULL,
                unassigned_at bigint,
                unassign_reason text,
                CHECK ((rep_id IS NULL) <> (queue IS NULL))
            )
            """,
            // A lead is held by one rep or queue at a time, whatever the number of writers.
            "CREATE UNIQUE INDEX assignments_one_open_per_lead ON assignments(lead_id) WHERE unassigned_at IS NULL",
            "CREATE INDEX assignments_open_by_rep ON assignments(rep_id) WHERE unassigned_at IS NULL",
            "CREATE INDEX assignments_lead ON assignments(lead_id, assigned_at)",
            "CREATE INDEX assignments_assigned_at ON assignments(assigned_at)",
            """
            CREATE TABLE router_states (
                name text COLLATE "C" PRIMARY KEY,
                state json NOT NULL,
                revision bigint NOT NULL CHECK (revision > 0),
                updated_at bigint NOT NULL
            )
            """,
        ],
        "0003-sla-follow-up-revenue": [
            """
            CREATE TABLE sla_timers (
                id text COLLATE "C" PRIMARY KEY CHECK (length(id) > 0),
                lead_id text COLLATE "C" NOT NULL REFERENCES leads(id),
                policy text NOT NULL,
                due_at bigint NOT NULL,
                state text NOT NULL CHECK (state IN ('running', 'breached', 'met', 'cancelled')),
                escalation_step bigint NOT NULL CHECK (escalation_step >= 0),
                fired_steps json NOT NULL,
                started_at bigint NOT NULL,
                updated_at bigint NOT NULL,
                lease_owner text,
                lease_until bigint
            )
            """,
            "CREATE INDEX sla_timers_open_due ON sla_timers(due_at) WHERE state IN ('running', 'breached')",
            "CREATE INDEX sla_timers_lead ON sla_timers(lead_id)",
            "CREATE INDEX sla_timers_started_at ON sla_timers(started_at)",
            """
            CREATE TABLE contact_attempts (
                seq bigserial PRIMARY KEY,
                attempt_id text NOT NULL UNIQUE CHECK (length(attempt_id) > 0),
                lead_id text COLLATE "C" NOT NULL REFERENCES leads(id),
                rep_id text COLLATE "C" REFERENCES reps(id),
                channel text NOT NULL,
                result text,
                attempted_at bigint NOT NULL,
                note text
            )
            """,
            "CREATE INDEX contact_attempts_lead ON contact_attempts(lead_id, attempted_at)",
            "CREATE INDEX contact_attempts_attempted_at ON contact_attempts(attempted_at)",
            """
            CREATE TABLE dispositions (
                seq bigserial PRIMARY KEY,
                disposition_id text NOT NULL UNIQUE CHECK (length(disposition_id) > 0),
                lead_id text COLLATE "C" NOT NULL REFERENCES leads(id),
                rep_id text COLLATE "C" REFERENCES reps(id),
                code text NOT NULL CHECK (length(code) > 0),
                note text,
                reengage_at bigint,
                decided_at bigint NOT NULL
            )
            """,
            "CREATE INDEX dispositions_lead ON dispositions(lead_id, decided_at)",
            "CREATE INDEX dispositions_decided_at ON dispositions(decided_at)",
            """
            CREATE TABLE opportunities (
                id text COLLATE "C" PRIMARY KEY CHECK (length(id) > 0),
                lead_id text COLLATE "C" NOT NULL REFERENCES leads(id),
                amount_minor bigint NOT NULL,
                currency text NOT NULL CHECK (length(currency) = 3),
                stage text NOT NULL,
                opened_at bigint NOT NULL,
                updated_at bigint NOT NULL
            )
            """,
            "CREATE INDEX opportunities_lead ON opportunities(lead_id)",
            "CREATE INDEX opportunities_opened_at ON opportunities(opened_at)",
            """
            CREATE TABLE outcomes (
                seq bigserial PRIMARY KEY,
                outcome_id text NOT NULL UNIQUE CHECK (length(outcome_id) > 0),
                opportunity_id text COLLATE "C" NOT NULL UNIQUE REFERENCES opportunities(id),
                lead_id text COLLATE "C" NOT NULL REFERENCES leads(id),
                result text NOT NULL CHECK (result IN ('won', 'lost')),
                amount_minor bigint NOT NULL,
                currency text NOT NULL CHECK (length(currency) = 3),
                closed_at bigint NOT NULL,
                reason text
            )
            """,
            "CREATE INDEX outcomes_lead ON outcomes(lead_id)",
            "CREATE INDEX outcomes_closed_at ON outcomes(closed_at)",
        ],
        "0004-model-registry-alerts": [
            """
            CREATE TABLE models (
                sha256 text PRIMARY KEY CHECK (length(sha256) = 64),
                format text NOT NULL,
                version_label text NOT NULL,
                file_bytes bytea,
                file_path text,
                uploaded_at bigint NOT NULL,
                upload_seq bigserial NOT NULL UNIQUE
            )
            """,
            """
            CREATE TABLE model_deployments (
                id bigserial PRIMARY KEY,
                sha256 text NOT NULL REFERENCES models(sha256),
                kind text NOT NULL CHECK (kind IN ('promotion', 'rollback')),
                promoted_at bigint NOT NULL,
                retired_at bigint
            )
            """,
            // At most one model in production; promotion and roll-back keep it exactly one.
            """
            CREATE UNIQUE INDEX model_deployments_one_in_production
                ON model_deployments((retired_at IS NULL)) WHERE retired_at IS NULL
            """,
            """
            CREATE TABLE alerts (
                seq bigserial PRIMARY KEY,
                alert_id text NOT NULL UNIQUE CHECK (length(alert_id) > 0),
                kind text NOT NULL,
                lead_id text COLLATE "C" REFERENCES leads(id),
                target text NOT NULL,
                payload json NOT NULL,
                created_at bigint NOT NULL,
                delivered_at bigint,
                attempts bigint NOT NULL CHECK (attempts >= 0),
                last_error text,
                next_attempt_at bigint
            )
            """,
            "CREATE INDEX alerts_pending ON alerts(created_at) WHERE delivered_at IS NULL",
            "CREATE INDEX alerts_created_at ON alerts(created_at)",
        ],
        "0005-access-tokens": [
            """
            CREATE TABLE access_tokens (
                name text COLLATE "C" PRIMARY KEY CHECK (length(name) > 0),
                role text NOT NULL CHECK (length(role) > 0),
                sha256 text NOT NULL UNIQUE CHECK (length(sha256) = 64),
                created_at bigint NOT NULL
            )
            """
        ],
        "0006-token-expiry-readiness": [
            "ALTER TABLE access_tokens ADD COLUMN expires_at bigint",
            """
            CREATE TABLE readiness_probes (
                instance text COLLATE "C" PRIMARY KEY CHECK (length(instance) > 0),
                checked_at bigint NOT NULL
            )
            """,
        ],
        "0007-outbox-dead-letter": [
            "ALTER TABLE alerts ADD COLUMN dead_at bigint",
            "ALTER TABLE alerts ADD COLUMN replayed_at bigint",
            "DROP INDEX alerts_pending",
            "CREATE INDEX alerts_pending ON alerts(created_at) WHERE delivered_at IS NULL AND dead_at IS NULL",
            "CREATE INDEX alerts_dead ON alerts(seq) WHERE dead_at IS NOT NULL",
        ],
        // Conversations (issue 18): captured interactions, idempotent per lead by content hash, and
        // the playbook trackers' hits in them; leads found by their e-mail address.
        "0008-interactions": [
            """
            CREATE TABLE interactions (
                id bigserial PRIMARY KEY,
                lead_id text COLLATE "C" NOT NULL REFERENCES leads(id),
                kind text NOT NULL CHECK (kind IN ('email', 'call', 'meeting', 'chat', 'note')),
                occurred_at bigint,
                recorded_at bigint NOT NULL,
                source text NOT NULL,
                subject text,
                content_sha256 text NOT NULL CHECK (length(content_sha256) = 64),
                content json NOT NULL,
                UNIQUE (lead_id, content_sha256)
            )
            """,
            "CREATE INDEX interactions_lead ON interactions(lead_id, occurred_at)",
            """
            CREATE TABLE interaction_tracker_hits (
                id bigserial PRIMARY KEY,
                interaction_id bigint NOT NULL REFERENCES interactions(id),
                lead_id text COLLATE "C" NOT NULL REFERENCES leads(id),
                tracker text NOT NULL,
                category text NOT NULL,
                phrase text NOT NULL,
                quote text NOT NULL,
                speaker text,
                start_ms bigint,
                line bigint NOT NULL
            )
            """,
            "CREATE INDEX interaction_tracker_hits_lead ON interaction_tracker_hits(lead_id, interaction_id)",
            "CREATE INDEX leads_email ON leads((lower(btrim(fields->>'email'))))",
        ],
        // Issue 16: the decision ledger and accounts (see the SQLite schema).
        "0009-ledger-accounts": [
            """
            CREATE TABLE decision_ledger (
                seq bigserial PRIMARY KEY,
                lead_id text COLLATE "C" NOT NULL REFERENCES leads(id),
                kind text NOT NULL CHECK (kind IN ('routing', 'sla')),
                decided_at bigint NOT NULL,
                source text NOT NULL CHECK (length(source) > 0),
                summary text NOT NULL,
                entry json NOT NULL
            )
            """,
            "CREATE INDEX decision_ledger_lead ON decision_ledger(lead_id, seq)",
            "CREATE INDEX decision_ledger_decided_at ON decision_ledger(kind, decided_at)",
            """
            CREATE TABLE accounts (
                seq bigserial PRIMARY KEY,
                id text COLLATE "C" NOT NULL UNIQUE CHECK (length(id) > 0),
                name text COLLATE "C",
                display_name text,
                created_at bigint NOT NULL
            )
            """,
            "CREATE INDEX accounts_name ON accounts(name) WHERE name IS NOT NULL",
            """
            CREATE TABLE account_domains (
                account_id text COLLATE "C" NOT NULL REFERENCES accounts(id),
                domain text COLLATE "C" NOT NULL CHECK (length(domain) > 0),
                PRIMARY KEY (account_id, domain)
            )
            """,
            "CREATE INDEX account_domains_domain ON account_domains(domain)",
            """
            CREATE TABLE lead_accounts (
                lead_id text COLLATE "C" PRIMARY KEY REFERENCES leads(id),
                account_id text COLLATE "C" NOT NULL REFERENCES accounts(id),
                rule text NOT NULL CHECK (rule IN ('explicit', 'email_domain', 'website_domain', 'company_name', 'company_fuzzy', 'new_account')),
                value text NOT NULL CHECK (length(value) > 0),
                score double precision NOT NULL CHECK (score >= 0 AND score <= 1),
                matched_name text,
                linked_at bigint NOT NULL
            )
            """,
            "CREATE INDEX lead_accounts_account ON lead_accounts(account_id, linked_at)",
        ],
        "0010-web-push": [
            """
            CREATE TABLE push_subscriptions (
                endpoint text COLLATE "C" PRIMARY KEY CHECK (length(endpoint) BETWEEN 9 AND 2048),
                rep text COLLATE "C" NOT NULL CHECK (length(rep) > 0),
                p256dh text NOT NULL CHECK (length(p256dh) = 87),
                auth text NOT NULL CHECK (length(auth) = 22),
                created_at bigint NOT NULL
            )
            """,
            "CREATE INDEX push_subscriptions_rep ON push_subscriptions(rep, created_at)",
            """
            CREATE TABLE service_keys (
                name text COLLATE "C" PRIMARY KEY CHECK (length(name) > 0),
                value text NOT NULL CHECK (length(value) > 0),
                created_at bigint NOT NULL
            )
            """,
        ],
        "0011-lead-merges": [
            """
            CREATE TABLE lead_merges (
                merged_id text COLLATE "C" PRIMARY KEY REFERENCES leads(id),
                survivor_id text COLLATE "C" NOT NULL REFERENCES leads(id) CHECK (survivor_id <> merged_id),
                rule text NOT NULL CHECK (rule IN ('email', 'crm')),
                evidence text NOT NULL CHECK (length(evidence) > 0),
                event_id text COLLATE "C" NOT NULL,
                field_changes json NOT NULL,
                merged_at bigint NOT NULL,
                ended_at bigint,
                end_event_id text COLLATE "C"
            )
            """,
            "CREATE INDEX lead_merges_survivor ON lead_merges(survivor_id)",
            """
            CREATE TABLE lead_email_keys (
                lead_id text COLLATE "C" PRIMARY KEY REFERENCES leads(id),
                email_key text COLLATE "C" NOT NULL CHECK (length(email_key) BETWEEN 1 AND 320)
            )
            """,
            "CREATE INDEX lead_email_keys_key ON lead_email_keys(email_key)",
        ],
    ]

    /// The migrations in order: SQLite's names, each with its PostgreSQL statements.
    static var migrations: [(name: String, statements: [String])] {
        StoreMigrations.names.map { name in
            guard let statements = translations[name] else {
                preconditionFailure("migration \(name) has no PostgreSQL translation; add it to PostgresSchema.translations")
            }
            return (name, statements)
        }
    }

    /// The schema version this build writes (the same as SQLite's).
    static var version: Int { StoreMigrations.version }

    /// The version encoded in a migration name's number prefix ("0007-…" → 7), if any.
    static func version(ofMigration name: String) -> Int? { StoreMigrations.version(ofMigration: name) }

    /// Key of the transaction-level advisory lock that serializes migrations across service
    /// instances starting at the same time ("BatonMig" in ASCII).
    static let migrationLockKey: Int64 = 0x4261_746F_6E4D_6967
}
