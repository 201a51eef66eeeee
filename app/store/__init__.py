"""The store: one SQLite file, the single source of truth (plain SQL, typed rows, one writer)."""
