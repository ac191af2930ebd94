-- Shared by both services (Flyway location db/core; service migrations live in db/migration from V100 on).
-- The append-only, hash-chained audit log: every regulator decision and rule change is recorded here.
-- Rows are never updated or deleted; each row's hash covers its content and the previous row's hash.
create table audit_event (
    seq           bigserial primary key,
    occurred_at   timestamptz not null default now(),
    actor         text        not null,
    action        text        not null,
    subject       text        not null,
    reason        text,
    details       jsonb       not null default '{}'::jsonb,
    previous_hash bytea       not null,
    hash          bytea       not null unique
);

create function audit_event_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_event is append-only';
end;
$$;

create trigger audit_event_append_only
    before update or delete on audit_event
    for each row execute function audit_event_is_append_only();

create trigger audit_event_no_truncate
    before truncate on audit_event
    for each statement execute function audit_event_is_append_only();
