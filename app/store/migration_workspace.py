"""The SQL of migration 6 (the workspace), kept apart so that migrations.py stays small."""

WORKSPACE_SQL = """
        CREATE TABLE repository (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            path TEXT NOT NULL UNIQUE,
            test_command TEXT,
            test_timeout REAL NOT NULL DEFAULT 300,
            memory_mb INTEGER NOT NULL DEFAULT 4096,
            created_at DATETIME NOT NULL
        );
        CREATE TABLE task_repository (
            task_id INTEGER PRIMARY KEY REFERENCES task(id) ON DELETE CASCADE,
            repository_id INTEGER NOT NULL REFERENCES repository(id) ON DELETE CASCADE,
            base_commit TEXT,
            base_branch TEXT,
            applied_commit TEXT,
            applied_branch TEXT,
            applied_at DATETIME
        );
        CREATE TABLE workspace_run (
            id INTEGER PRIMARY KEY,
            task_id INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,
            step_key TEXT NOT NULL,
            repo_name TEXT NOT NULL,
            branch TEXT NOT NULL,
            base_commit TEXT NOT NULL,
            paths TEXT NOT NULL DEFAULT '[]',
            refused TEXT,
            diff TEXT NOT NULL DEFAULT '',
            files_changed INTEGER NOT NULL DEFAULT 0,
            added INTEGER NOT NULL DEFAULT 0,
            removed INTEGER NOT NULL DEFAULT 0,
            tests_before TEXT,
            tests_after TEXT,
            problems TEXT NOT NULL DEFAULT '[]',
            timings TEXT NOT NULL DEFAULT '{}',
            created_at DATETIME NOT NULL,
            UNIQUE (task_id, step_key)
        );
        """
