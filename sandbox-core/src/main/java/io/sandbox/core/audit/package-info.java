/**
 * The append-only, hash-chained audit log (table {@code audit_event}, schema {@code db/core}).
 *
 * <p>Every regulator decision and rule change is appended through {@link io.sandbox.core.audit.AuditLog}
 * in the caller's transaction. Each row's hash covers its content and the previous row's hash:
 *
 * <pre>
 * hash = SHA-256( content || previous_hash )          previous_hash of the first row = 32 zero bytes
 * content = field("sandbox-audit/1") || field(occurred_at) || field(actor) || field(action)
 *           || field(subject) || field(reason) || field(details)
 * field(s) = 4-byte big-endian length of UTF-8(s) || UTF-8(s);  a null value is the length 0xFFFFFFFF alone
 * </pre>
 *
 * <ul>
 *   <li>{@code occurred_at}: UTC, microsecond precision (PostgreSQL's), as {@code 2026-01-31T09:15:02.123456Z}
 *       (always six fraction digits).</li>
 *   <li>{@code details}: canonical JSON: no whitespace, object members sorted by key (UTF-16 code units,
 *       as RFC 8785), numbers as plain decimals with trailing fraction zeros removed ({@code 1.50} is
 *       {@code 1.5}, {@code 1E+2} is {@code 100}), strings escaped as JSON requires (only {@code "},
 *       {@code \} and control characters). PostgreSQL's {@code jsonb} reorders members and may
 *       reformat numbers, so verification re-canonicalises the stored value; the encoding is stable
 *       under that round trip.</li>
 * </ul>
 *
 * <p>Appends are serialised with a transaction-scoped PostgreSQL advisory lock, so concurrent appends
 * queue up behind each other and the chain never forks. {@link io.sandbox.core.audit.AuditChain} checks a
 * sequence of rows offline; {@link io.sandbox.core.audit.AuditLog#verify()} checks the stored table.
 */
package io.sandbox.core.audit;
