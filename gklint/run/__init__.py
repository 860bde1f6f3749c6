"""Running checks over files: one file (engine), many files in worker processes (runner), the result cache,
the checks across years (pairing) and the rule-set authors' tools (authoring)."""
