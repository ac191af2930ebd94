-- Applications to the sandbox, their representatives and supporting documents, and the regulator's
-- decision on each: the permit set at approval and the hook for provisioning.
create table application (
    id                  uuid        primary key,
    status              text        not null check (status in ('SUBMITTED', 'APPROVED', 'REJECTED')),
    legal_name          text        not null,
    jurisdiction        char(2)     not null,
    registry_scheme     text        not null check (registry_scheme in ('LEI', 'USCC')),
    registry_identifier text        not null,
    contact_email       text        not null,
    pilot_description   text        not null,
    submitted_at        timestamptz not null,
    -- A client's Idempotency-Key and the fingerprint of the request it first came with.
    idempotency_key     text        unique,
    request_fingerprint bytea,
    decided_at          timestamptz,
    decided_by          text,
    decision_reason     text,
    check ((status = 'SUBMITTED') = (decided_at is null))
);
create index application_queue on application (submitted_at) where status = 'SUBMITTED';

create table application_representative (
    application_id uuid    not null references application (id),
    position       integer not null,
    name           text    not null,
    email          text    not null,
    primary key (application_id, position)
);

create table supporting_document (
    id             uuid    primary key,
    application_id uuid    not null references application (id),
    position       integer not null,
    file_name      text    not null,
    media_type     text    not null,
    size_bytes     bigint  not null check (size_bytes > 0),
    sha256         bytea   not null check (length(sha256) = 32),
    content        bytea   not null,
    unique (application_id, position)
);

-- The boundaries of an admitted startup's pilot, set at approval.
create table permit (
    application_id         uuid          primary key references application (id),
    max_customers          integer       not null check (max_customers > 0),
    max_single_transaction numeric(20,4) not null check (max_single_transaction > 0),
    max_daily_volume       numeric(20,4) not null check (max_daily_volume >= max_single_transaction),
    currency               char(3)       not null,
    allowed_asset_types    text[]        not null check (cardinality(allowed_asset_types) > 0),
    test_window_start      date          not null,
    test_window_end        date          not null check (test_window_end > test_window_start),
    issued_at              timestamptz   not null,
    issued_by              text          not null
);

-- Written in the approval's transaction: the provisioning pipeline picks up PENDING rows (and resumes
-- them after a crash); at most one per application.
create table provisioning_request (
    application_id uuid        primary key references application (id),
    status         text        not null default 'PENDING',
    requested_at   timestamptz not null
);
