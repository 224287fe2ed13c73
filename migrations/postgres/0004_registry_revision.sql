-- One counter that every change to the registry's data raises in the same transaction (an
-- edition, reference attributes, a status). App instances keep a read-only snapshot of the
-- registry in memory and rebuild it when this number moves, so several instances stay in step.
CREATE TABLE registry_revision (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL
);
