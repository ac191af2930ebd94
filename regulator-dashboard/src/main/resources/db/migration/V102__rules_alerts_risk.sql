-- Startups and their permits, policy rules with versions, the alert workflow and the risk time series
-- (docs/rules.md, docs/risk.md).

-- A startup in the sandbox as the dashboard knows it: its tenant (the token claim `tenant`), its channel and MSP.
create table startup (
    name          text primary key,
    channel       text        not null unique,
    msp_id        text,
    display_name  text,
    registered_at timestamptz not null default now()
);

-- The permit: the pilot's boundaries; each change is a new version (the rules derived from it follow).
create table permit (
    startup            text          not null references startup (name),
    version            integer       not null,
    max_customers      integer       not null check (max_customers > 0),
    max_single_value   numeric(20, 4) not null check (max_single_value > 0),
    max_daily_volume   numeric(20, 4) not null check (max_daily_volume > 0),
    currency           char(3)       not null,
    allowed_asset_types text[]       not null,
    test_window_start  date          not null,
    test_window_end    date          not null,
    changed_by         text          not null,
    reason             text,
    changed_at         timestamptz   not null default now(),
    primary key (startup, version)
);

-- A rule; its definition lives in versions. Permit rules and built-in rules are rules too (origin).
create table rule (
    id              text primary key,
    origin          text    not null check (origin in ('USER', 'PERMIT', 'BUILT_IN')),
    current_version integer not null
);

create table rule_version (
    rule_id     text        not null references rule (id),
    version     integer     not null,
    name        text        not null,
    description text,
    severity    text        not null check (severity in ('LOW', 'MEDIUM', 'HIGH', 'SEVERE')),
    mode        text        not null check (mode in ('TEST', 'ACTIVE', 'DISABLED')),
    -- the startups it applies to; null means every startup
    scope       text[],
    expression  text        not null,
    changed_by  text        not null,
    reason      text        not null,
    changed_at  timestamptz not null default now(),
    primary key (rule_id, version)
);

-- Would-be alerts of rules in TEST mode: recorded, never raised.
create table rule_test_hit (
    id           bigserial primary key,
    rule_id      text        not null,
    rule_version integer     not null,
    startup      text,
    channel      text        not null,
    block_number bigint      not null,
    tx_id        text        not null,
    hit_values   jsonb       not null,
    recorded_at  timestamptz not null default now(),
    unique (rule_id, rule_version, channel, tx_id)
);

-- Alerts of rules (kind RULE) next to the integrity alerts of ingestion (kind INTEGRITY).
update alert set severity = 'SEVERE' where severity = 'CRITICAL';
alter table alert
    add column rule_id        text,
    add column rule_version   integer,
    add column startup        text,
    -- every transaction the alert is about (tx_id is the first)
    add column tx_ids         text[],
    -- the values that triggered it, by name
    add column trigger_values jsonb,
    add column status         text not null default 'OPEN'
        check (status in ('OPEN', 'ACKNOWLEDGED', 'RESOLVED', 'FALSE_POSITIVE')),
    add column status_changed_at timestamptz,
    add constraint alert_severity check (severity in ('LOW', 'MEDIUM', 'HIGH', 'SEVERE'));

-- One alert per rule version and transaction, whatever is replayed after a crash.
create unique index alert_rule_tx on alert (rule_id, rule_version, channel, tx_id) where rule_id is not null;
create index alert_startup on alert (startup, raised_at);
create index alert_status on alert (status, raised_at);

-- The workflow: every status change with who and why (also in the audit log).
create table alert_transition (
    id          bigserial primary key,
    alert_id    bigint      not null references alert (id),
    from_status text        not null,
    to_status   text        not null,
    comment     text        not null,
    changed_by  text        not null,
    changed_at  timestamptz not null default now()
);

-- New alerts waiting for the webhook (delivered off the ingestion path, retried with backoff).
create table alert_webhook_outbox (
    alert_id        bigint primary key references alert (id),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    delivered_at    timestamptz,
    last_error      text
);

-- The risk score per startup over time, with its components.
create table risk_snapshot (
    id          bigserial primary key,
    startup     text          not null,
    computed_at timestamptz   not null,
    score       numeric(5, 2) not null check (score between 0 and 100),
    -- {"breaches": .., "velocity": .., "invalidRatio": .., "concentration": .., "permitUtilisation": {..}}
    components  jsonb         not null
);

create index risk_snapshot_startup on risk_snapshot (startup, computed_at);
