-- Evidence bundles (docs/evidence.md): the platform's signing identity, generated at first use. Both private keys are
-- sealed with the KeyVault under sandbox.fabric.master-key (labels evidence/root and evidence/signing); the
-- certificates are public. Exports themselves are recorded in the audit log (evidence.exported).
create table evidence_signing_key (
    id                  smallint    primary key check (id = 1),
    root_certificate    text        not null,
    signing_certificate text        not null,
    root_key_sealed     bytea       not null,
    signing_key_sealed  bytea       not null,
    created_at          timestamptz not null default now()
);
