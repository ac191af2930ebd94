-- The overview's transactions per minute read the blocks stored in the last minute.
create index ledger_block_ingested_at on ledger_block (ingested_at);
