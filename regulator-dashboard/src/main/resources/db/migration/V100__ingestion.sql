-- Ingestion: every channel's blocks and transactions as the regulator's peer serves them, with a checkpoint per
-- channel that is written in the same database transaction as the rows (docs/ingestion.md).

create table channel_checkpoint (
    channel          text primary key,
    -- -1 before block 0 is stored
    last_block       bigint      not null default -1,
    last_header_hash bytea,
    status           text        not null default 'RUNNING' check (status in ('RUNNING', 'HALTED')),
    halt_reason      text,
    tx_count         bigint      not null default 0,
    invalid_count    bigint      not null default 0,
    last_activity    timestamptz,
    updated_at       timestamptz not null default now()
);

create table ledger_block (
    channel       text        not null,
    number        bigint      not null,
    header_hash   bytea       not null,
    previous_hash bytea       not null,
    data_hash     bytea       not null,
    -- Fabric blocks carry no commit time: this is when the dashboard stored the block
    ingested_at   timestamptz not null,
    tx_count      integer     not null,
    primary key (channel, number),
    unique (channel, header_hash)
);

create table ledger_transaction (
    channel          text    not null,
    block_number     bigint  not null,
    tx_index         integer not null,
    tx_id            text,
    tx_timestamp     timestamptz,
    header_type      text,
    creator_msp      text,
    creator_subject  text,
    endorser_msps    text[],
    chaincode        text,
    function         text,
    -- {"namespace": ["key", ...]}; U+0000 in composite keys is written as U+2400
    reads            jsonb,
    writes           jsonb,
    validation_code  text,
    event_name       text,
    -- parsed sandbox.reporting/1 payloads (a JSON array; Fabric keeps one event per transaction)
    reporting_events jsonb,
    -- HMAC-SHA256 (hex) of each argument after the function name; raw values are never stored
    arg_digests      text[],
    decode_error     text,
    -- no foreign key to ledger_block: the store writes a block and its transactions in one transaction, and a
    -- per-row referential check costs PostgreSQL more than the rest of the row's insert
    primary key (channel, block_number, tx_index)
);

create index ledger_transaction_tx_id on ledger_transaction (tx_id);

-- Alerts of every kind (INTEGRITY from ingestion now; rules later).
create table alert (
    id           bigserial primary key,
    kind         text        not null,
    severity     text        not null,
    channel      text,
    block_number bigint,
    tx_id        text,
    title        text        not null,
    detail       text        not null,
    raised_at    timestamptz not null default now()
);

create index alert_channel on alert (channel, raised_at);
