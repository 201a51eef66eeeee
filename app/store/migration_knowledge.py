"""Migration 5: the knowledge base (files, sections, an FTS5 index kept by triggers) and outbound drafts."""

KNOWLEDGE_SQL = """
        CREATE TABLE kb_source (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('file', 'folder')),
            added_at DATETIME NOT NULL,
            indexed_at DATETIME,
            error TEXT
        );
        CREATE TABLE kb_file (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES kb_source(id) ON DELETE CASCADE,
            path TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            mtime REAL NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            sections INTEGER NOT NULL DEFAULT 0,
            error TEXT,
            indexed_at DATETIME NOT NULL
        );
        CREATE INDEX ix_kb_file_source ON kb_file(source_id);
        CREATE TABLE kb_section (
            id INTEGER PRIMARY KEY,
            file_id INTEGER NOT NULL REFERENCES kb_file(id) ON DELETE CASCADE,
            ord INTEGER NOT NULL,
            heading TEXT NOT NULL,
            body TEXT NOT NULL
        );
        CREATE INDEX ix_kb_section_file ON kb_section(file_id, ord);
        CREATE VIRTUAL TABLE kb_fts USING fts5(heading, body, content='kb_section', content_rowid='id',
                                               tokenize='porter unicode61');
        CREATE TRIGGER kb_section_ai AFTER INSERT ON kb_section BEGIN
            INSERT INTO kb_fts(rowid, heading, body) VALUES (NEW.id, NEW.heading, NEW.body);
        END;
        CREATE TRIGGER kb_section_ad AFTER DELETE ON kb_section BEGIN
            INSERT INTO kb_fts(kb_fts, rowid, heading, body) VALUES ('delete', OLD.id, OLD.heading, OLD.body);
        END;
        CREATE TABLE outbound (
            id INTEGER PRIMARY KEY,
            task_id INTEGER REFERENCES task(id) ON DELETE SET NULL,
            step_key TEXT NOT NULL DEFAULT '',
            channel TEXT NOT NULL,
            recipients TEXT NOT NULL DEFAULT '[]',
            subject TEXT NOT NULL DEFAULT '',
            body TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'approved', 'sending', 'sent', 'failed', 'discarded')),
            approved_sha TEXT,
            approved_at DATETIME,
            sent_at DATETIME,
            sent_via TEXT,
            error TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at DATETIME NOT NULL,
            updated_at DATETIME NOT NULL
        );
        CREATE UNIQUE INDEX ix_outbound_step ON outbound(task_id, step_key) WHERE step_key != '';
        CREATE INDEX ix_outbound_status ON outbound(status, id);
        """
