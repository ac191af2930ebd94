-- The provisioning pipeline: one row per admitted startup, its steps' log, and the genesis block of its
-- channel (kept before anything joins, so a resumed provisioning joins with the same block).
-- No raw private key is ever stored: organisation_document is SealedOrganisation JSON (keys sealed by the vault).
create table provisioning (
    id                    uuid        primary key,
    application_id        uuid        not null unique,
    permit_id             uuid        not null,
    slug                  text        not null unique check (slug ~ '^[a-z][a-z0-9-]{1,40}$'),
    legal_name            text        not null,
    msp_id                text        not null unique,
    channel_id            text        not null unique,
    status                text        not null check (status in ('WAITING_FOR_NETWORK', 'PENDING', 'RUNNING', 'READY', 'FAILED')),
    current_step          text        not null check (current_step in ('ORGANISATION', 'PEER', 'CHANNEL', 'CHAINCODE', 'KEYCLOAK', 'READY')),
    last_error            text,
    organisation_document text,
    peer_host             text,
    peer_port             integer,
    peer_tls_roots        text,
    requested_at          timestamptz not null,
    updated_at            timestamptz not null,
    ready_at              timestamptz,
    check ((status = 'READY') = (current_step = 'READY')),
    check ((status = 'FAILED') = (last_error is not null))
);
create index provisioning_runnable on provisioning (requested_at) where status in ('WAITING_FOR_NETWORK', 'PENDING', 'RUNNING');

create table provisioning_representative (
    provisioning_id uuid    not null references provisioning (id),
    position        integer not null,
    name            text    not null,
    email           text    not null,
    primary key (provisioning_id, position)
);

create table provisioning_genesis (
    provisioning_id uuid        primary key references provisioning (id),
    block           bytea       not null,
    created_at      timestamptz not null
);

-- One row per attempt of a step. A row left without finished_at by a crash is marked INTERRUPTED on resume.
create table provisioning_step_log (
    id              bigserial   primary key,
    provisioning_id uuid        not null references provisioning (id),
    step            text        not null,
    started_at      timestamptz not null,
    finished_at     timestamptz,
    outcome         text        check (outcome in ('DONE', 'FAILED', 'INTERRUPTED')),
    error           text,
    check ((finished_at is null) = (outcome is null))
);
create index provisioning_step_log_by_provisioning on provisioning_step_log (provisioning_id, id);
