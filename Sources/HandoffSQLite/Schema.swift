import GRDB
import HandoffPersistence

/// The SQLite statements of each migration in ``StoreMigrations`` (the one list of names, in
/// order; append only).
///
/// Times are INTEGER milliseconds since 1970-01-01 UTC: they compare and range-scan as plain
/// integers ("timers due before T", "events in week W") with no text-format or time-zone
/// ambiguity, keep the millisecond order of events, and map one-to-one to PostgreSQL `bigint`.
/// Money is INTEGER minor units plus a three-letter currency, never REAL.
enum Schema {
    static let translations: [String: String] = [
        "0001-leads-events-scores": """
        CREATE TABLE leads (
            id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
            fields TEXT NOT NULL CHECK (json_valid(fields)),
            source TEXT,
            campaign TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE INDEX leads_created_at ON leads(created_at);

        CREATE TABLE engagement_events (
            seq INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL UNIQUE CHECK (length(event_id) > 0),
            lead_id TEXT NOT NULL REFERENCES leads(id),
            type TEXT NOT NULL,
            occurred_at INTEGER NOT NULL,
            received_at INTEGER NOT NULL,
            payload TEXT NOT NULL CHECK (json_valid(payload))
        );
        CREATE INDEX engagement_events_lead ON engagement_events(lead_id, occurred_at);
        CREATE INDEX engagement_events_occurred_at ON engagement_events(occurred_at);

        CREATE TABLE scores (
            id INTEGER PRIMARY KEY,
            lead_id TEXT NOT NULL REFERENCES leads(id),
            model_sha256 TEXT NOT NULL,
            model_format TEXT NOT NULL,
            probability REAL NOT NULL CHECK (probability >= 0 AND probability <= 1),
            points REAL NOT NULL,
            fit_points REAL NOT NULL,
            engagement_points REAL NOT NULL,
            reasons TEXT NOT NULL CHECK (json_valid(reasons)),
            scored_at INTEGER NOT NULL,
            trigger_event_id TEXT
        );
        CREATE INDEX scores_lead ON scores(lead_id, scored_at);
        CREATE INDEX scores_scored_at ON scores(scored_at);
        CREATE INDEX scores_model ON scores(model_sha256);
        """,
        "0002-qualification-routing": """
        CREATE TABLE qualification_decisions (
            id INTEGER PRIMARY KEY,
            lead_id TEXT NOT NULL REFERENCES leads(id),
            stage TEXT NOT NULL CHECK (stage IN ('nurture', 'mql', 'sql')),
            priority TEXT NOT NULL,
            rule TEXT NOT NULL,
            evidence TEXT NOT NULL CHECK (json_valid(evidence)),
            decided_at INTEGER NOT NULL,
            score_id INTEGER REFERENCES scores(id)
        );
        CREATE INDEX qualification_decisions_lead ON qualification_decisions(lead_id, decided_at);
        CREATE INDEX qualification_decisions_decided_at ON qualification_decisions(decided_at);

        CREATE TABLE reps (
            id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
            name TEXT NOT NULL,
            time_zone TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('active', 'left')),
            left_at INTEGER,
            profile TEXT NOT NULL CHECK (json_valid(profile)),
            updated_at INTEGER NOT NULL
        );

        CREATE TABLE assignments (
            id INTEGER PRIMARY KEY,
            lead_id TEXT NOT NULL REFERENCES leads(id),
            rep_id TEXT REFERENCES reps(id),
            queue TEXT,
            rule TEXT NOT NULL,
            assigned_at INTEGER NOT NULL,
            unassigned_at INTEGER,
            unassign_reason TEXT,
            CHECK ((rep_id IS NULL) <> (queue IS NULL))
        );
        -- A lead is held by one rep or queue at a time, whatever the number of writers.
        CREATE UNIQUE INDEX assignments_one_open_per_lead ON assignments(lead_id) WHERE unassigned_at IS NULL;
        CREATE INDEX assignments_open_by_rep ON assignments(rep_id) WHERE unassigned_at IS NULL;
        CREATE INDEX assignments_lead ON assignments(lead_id, assigned_at);
        CREATE INDEX assignments_assigned_at ON assignments(assigned_at);

        CREATE TABLE router_states (
            name TEXT PRIMARY KEY NOT NULL,
            state TEXT NOT NULL CHECK (json_valid(state)),
            revision INTEGER NOT NULL CHECK (revision > 0),
            updated_at INTEGER NOT NULL
        );
        """,
        "0003-sla-follow-up-revenue": """
        CREATE TABLE sla_timers (
            id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
            lead_id TEXT NOT NULL REFERENCES leads(id),
            policy TEXT NOT NULL,
            due_at INTEGER NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('running', 'breached', 'met', 'cancelled')),
            escalation_step INTEGER NOT NULL CHECK (escalation_step >= 0),
            fired_steps TEXT NOT NULL CHECK (json_valid(fired_steps)),
            started_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            lease_owner TEXT,
            lease_until INTEGER
        );
        CREATE INDEX sla_timers_open_due ON sla_timers(due_at) WHERE state IN ('running', 'breached');
        CREATE INDEX sla_timers_lead ON sla_timers(lead_id);
        CREATE INDEX sla_timers_started_at ON sla_timers(started_at);

        CREATE TABLE contact_attempts (
            seq INTEGER PRIMARY KEY,
            attempt_id TEXT NOT NULL UNIQUE CHECK (length(attempt_id) > 0),
            lead_id TEXT NOT NULL REFERENCES leads(id),
            rep_id TEXT REFERENCES reps(id),
            channel TEXT NOT NULL,
            result TEXT,
            attempted_at INTEGER NOT NULL,
            note TEXT
        );
        CREATE INDEX contact_attempts_lead ON contact_attempts(lead_id, attempted_at);
        CREATE INDEX contact_attempts_attempted_at ON contact_attempts(attempted_at);

        CREATE TABLE dispositions (
            seq INTEGER PRIMARY KEY,
            disposition_id TEXT NOT NULL UNIQUE CHECK (length(disposition_id) > 0),
            lead_id TEXT NOT NULL REFERENCES leads(id),
            rep_id TEXT REFERENCES reps(id),
            code TEXT NOT NULL CHECK (length(code) > 0),
            note TEXT,
            reengage_at INTEGER,
            decided_at INTEGER NOT NULL
        );
        CREATE INDEX dispositions_lead ON dispositions(lead_id, decided_at);
        CREATE INDEX dispositions_decided_at ON dispositions(decided_at);

        CREATE TABLE opportunities (
            id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
            lead_id TEXT NOT NULL REFERENCES leads(id),
            amount_minor INTEGER NOT NULL,
            currency TEXT NOT NULL CHECK (length(currency) = 3),
            stage TEXT NOT NULL,
            opened_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE INDEX opportunities_lead ON opportunities(lead_id);
        CREATE INDEX opportunities_opened_at ON opportunities(opened_at);

        CREATE TABLE outcomes (
            seq INTEGER PRIMARY KEY,
            outcome_id TEXT NOT NULL UNIQUE CHECK (length(outcome_id) > 0),
            opportunity_id TEXT NOT NULL UNIQUE REFERENCES opportunities(id),
            lead_id TEXT NOT NULL REFERENCES leads(id),
            result TEXT NOT NULL CHECK (result IN ('won', 'lost')),
            amount_minor INTEGER NOT NULL,
            currency TEXT NOT NULL CHECK (length(currency) = 3),
            closed_at INTEGER NOT NULL,
            reason TEXT
        );
        CREATE INDEX outcomes_lead ON outcomes(lead_id);
        CREATE INDEX outcomes_closed_at ON outcomes(closed_at);
        """,
        "0004-model-registry-alerts": """
        CREATE TABLE models (
            sha256 TEXT PRIMARY KEY NOT NULL CHECK (length(sha256) = 64),
            format TEXT NOT NULL,
            version_label TEXT NOT NULL,
            file_bytes BLOB,
            file_path TEXT,
            uploaded_at INTEGER NOT NULL,
            upload_seq INTEGER NOT NULL UNIQUE
        );

        CREATE TABLE model_deployments (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL REFERENCES models(sha256),
            kind TEXT NOT NULL CHECK (kind IN ('promotion', 'rollback')),
            promoted_at INTEGER NOT NULL,
            retired_at INTEGER
        );
        -- At most one model in production; promotion and roll-back keep it exactly one.
        CREATE UNIQUE INDEX model_deployments_one_in_production
            ON model_deployments((retired_at IS NULL)) WHERE retired_at IS NULL;

        CREATE TABLE alerts (
            seq INTEGER PRIMARY KEY,
            alert_id TEXT NOT NULL UNIQUE CHECK (length(alert_id) > 0),
            kind TEXT NOT NULL,
            lead_id TEXT REFERENCES leads(id),
            target TEXT NOT NULL,
            payload TEXT NOT NULL CHECK (json_valid(payload)),
            created_at INTEGER NOT NULL,
            delivered_at INTEGER,
            attempts INTEGER NOT NULL CHECK (attempts >= 0),
            last_error TEXT,
            next_attempt_at INTEGER
        );
        CREATE INDEX alerts_pending ON alerts(created_at) WHERE delivered_at IS NULL;
        CREATE INDEX alerts_created_at ON alerts(created_at);
        """,
        // Bearer tokens of the service, shared by every instance on the store (formerly a
        // `<db>.tokens.json` file per instance). Only the SHA-256 of a token is kept.
        "0005-access-tokens": """
        CREATE TABLE access_tokens (
            name TEXT PRIMARY KEY NOT NULL CHECK (length(name) > 0),
            role TEXT NOT NULL CHECK (length(role) > 0),
            sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
            created_at INTEGER NOT NULL
        );
        """,
        // Tokens may expire (NULL: never); `/ready` proves the store takes a write by updating
        // its instance's row here (issue 20: `/health` said 200 while every write failed).
        "0006-token-expiry-readiness": """
        ALTER TABLE access_tokens ADD COLUMN expires_at INTEGER;
        CREATE TABLE readiness_probes (
            instance TEXT PRIMARY KEY NOT NULL CHECK (length(instance) > 0),
            checked_at INTEGER NOT NULL
        );
        """,
        // The alerts table becomes the outbox: a row can be given up (dead letter) and replayed.
        "0007-outbox-dead-letter": """
        ALTER TABLE alerts ADD COLUMN dead_at INTEGER;
        ALTER TABLE alerts ADD COLUMN replayed_at INTEGER;
        DROP INDEX alerts_pending;
        CREATE INDEX alerts_pending ON alerts(created_at) WHERE delivered_at IS NULL AND dead_at IS NULL;
        CREATE INDEX alerts_dead ON alerts(seq) WHERE dead_at IS NOT NULL;
        """,
        // Conversations (issue 18): captured interactions, idempotent per lead by content hash, and
        // the playbook trackers' hits in them; leads found by their e-mail address.
        "0008-interactions": """
        CREATE TABLE interactions (
            id INTEGER PRIMARY KEY,
            lead_id TEXT NOT NULL REFERENCES leads(id),
            kind TEXT NOT NULL CHECK (kind IN ('email', 'call', 'meeting', 'chat', 'note')),
            occurred_at INTEGER,
            recorded_at INTEGER NOT NULL,
            source TEXT NOT NULL,
            subject TEXT,
            content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),
            content TEXT NOT NULL CHECK (json_valid(content)),
            UNIQUE (lead_id, content_sha256)
        );
        CREATE INDEX interactions_lead ON interactions(lead_id, occurred_at);

        CREATE TABLE interaction_tracker_hits (
            id INTEGER PRIMARY KEY,
            interaction_id INTEGER NOT NULL REFERENCES interactions(id),
            lead_id TEXT NOT NULL REFERENCES leads(id),
            tracker TEXT NOT NULL,
            category TEXT NOT NULL,
            phrase TEXT NOT NULL,
            quote TEXT NOT NULL,
            speaker TEXT,
            start_ms INTEGER,
            line INTEGER NOT NULL
        );
        CREATE INDEX interaction_tracker_hits_lead ON interaction_tracker_hits(lead_id, interaction_id);
        CREATE INDEX leads_email ON leads(lower(trim(json_extract(fields, '$.email'))));
        """,
        // Issue 16: the decision ledger. Each routing decision (candidates, skip reasons, winner)
        // and SLA transition (clock segments) of a lead, written with the decision it explains.
        "0009-ledger-accounts": """
        CREATE TABLE decision_ledger (
            seq INTEGER PRIMARY KEY,
            lead_id TEXT NOT NULL REFERENCES leads(id),
            kind TEXT NOT NULL CHECK (kind IN ('routing', 'sla')),
            decided_at INTEGER NOT NULL,
            source TEXT NOT NULL CHECK (length(source) > 0),
            summary TEXT NOT NULL,
            entry TEXT NOT NULL CHECK (json_valid(entry))
        );
        CREATE INDEX decision_ledger_lead ON decision_ledger(lead_id, seq);
        CREATE INDEX decision_ledger_decided_at ON decision_ledger(kind, decided_at);
        -- Accounts: one per company, its domains, and each lead's link with the match evidence.
        CREATE TABLE accounts (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE CHECK (length(id) > 0),
            name TEXT,
            display_name TEXT,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX accounts_name ON accounts(name) WHERE name IS NOT NULL;
        CREATE TABLE account_domains (
            account_id TEXT NOT NULL REFERENCES accounts(id),
            domain TEXT NOT NULL CHECK (length(domain) > 0),
            PRIMARY KEY (account_id, domain)
        ) WITHOUT ROWID;
        CREATE INDEX account_domains_domain ON account_domains(domain);
        CREATE TABLE lead_accounts (
            lead_id TEXT PRIMARY KEY REFERENCES leads(id),
            account_id TEXT NOT NULL REFERENCES accounts(id),
            rule TEXT NOT NULL CHECK (rule IN ('explicit', 'email_domain', 'website_domain', 'company_name', 'company_fuzzy', 'new_account')),
            value TEXT NOT NULL CHECK (length(value) > 0),
            score REAL NOT NULL CHECK (score >= 0 AND score <= 1),
            matched_name TEXT,
            linked_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX lead_accounts_account ON lead_accounts(account_id, linked_at);
        """,
        // Web Push (issue 17): each rep's browser subscriptions, and keys the service makes on
        // first start and every instance shares (the VAPID signing key).
        "0010-web-push": """
        CREATE TABLE push_subscriptions (
            endpoint TEXT PRIMARY KEY NOT NULL CHECK (length(endpoint) BETWEEN 9 AND 2048),
            rep TEXT NOT NULL CHECK (length(rep) > 0),
            p256dh TEXT NOT NULL CHECK (length(p256dh) = 87),
            auth TEXT NOT NULL CHECK (length(auth) = 22),
            created_at INTEGER NOT NULL
        );
        CREATE INDEX push_subscriptions_rep ON push_subscriptions(rep, created_at);
        CREATE TABLE service_keys (
            name TEXT PRIMARY KEY NOT NULL CHECK (length(name) > 0),
            value TEXT NOT NULL CHECK (length(value) > 0),
            created_at INTEGER NOT NULL
        );
        """,
        "0011-lead-merges": """
        CREATE TABLE lead_merges (
            merged_id TEXT PRIMARY KEY NOT NULL REFERENCES leads(id),
            survivor_id TEXT NOT NULL REFERENCES leads(id) CHECK (survivor_id <> merged_id),
            rule TEXT NOT NULL CHECK (rule IN ('email', 'crm')),
            evidence TEXT NOT NULL CHECK (length(evidence) > 0),
            event_id TEXT NOT NULL,
            field_changes TEXT NOT NULL CHECK (json_valid(field_changes)),
            merged_at INTEGER NOT NULL,
            ended_at INTEGER,
            end_event_id TEXT
        );
        CREATE INDEX lead_merges_survivor ON lead_merges(survivor_id);
        CREATE TABLE lead_email_keys (
            lead_id TEXT PRIMARY KEY NOT NULL REFERENCES leads(id),
            email_key TEXT NOT NULL CHECK (length(email_key) BETWEEN 1 AND 320)
        );
        CREATE INDEX lead_email_keys_key ON lead_email_keys(email_key);
        """,
    ]

    /// The migrations in order: the store's names, each with its SQLite statements.
    static var migrations: [(name: String, sql: String)] {
        StoreMigrations.names.map { name in
            guard let sql = translations[name] else {
                preconditionFailure("migration \(name) has no SQLite translation; add it to Schema.translations")
            }
            return (name, sql)
        }
    }

    /// The schema version this build writes (``StoreMigrations/version``).
    static var version: Int { StoreMigrations.version }

    /// The version encoded in a migration name's number prefix ("0007-…" → 7), if any.
    static func version(ofMigration name: String) -> Int? { StoreMigrations.version(ofMigration: name) }

    static func migrator(upTo last: Int = migrations.count) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        // Never wipe a user's store because the schema differs from what this build expects.
        migrator.eraseDatabaseOnSchemaChange = false
        for (name, sql) in migrations.prefix(last) {
            migrator.registerMigration(name) { db in try db.execute(sql: sql) }
        }
        return migrator
    }
}
