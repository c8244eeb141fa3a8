"""Schema 1: reference data, the complaint register, escalation sheets and work notices."""

from __future__ import annotations

STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE counters (
        name TEXT PRIMARY KEY,
        value INTEGER NOT NULL
    )""",
    """CREATE TABLE departments (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        active INTEGER NOT NULL DEFAULT 1
    )""",
    """CREATE TABLE staff (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        department_id INTEGER REFERENCES departments(id),
        role_title TEXT NOT NULL DEFAULT '',
        active INTEGER NOT NULL DEFAULT 1,
        UNIQUE (name, department_id)
    )""",
    """CREATE TABLE households (
        id INTEGER PRIMARY KEY,
        building TEXT NOT NULL,
        unit TEXT NOT NULL,
        room TEXT NOT NULL,
        label TEXT NOT NULL UNIQUE,
        owner_name TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        occupied INTEGER NOT NULL DEFAULT 1
    )""",
    """CREATE TABLE categories (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        sort_order INTEGER NOT NULL,
        active INTEGER NOT NULL DEFAULT 1
    )""",
    """CREATE TABLE calendar_overrides (
        day TEXT PRIMARY KEY,
        is_workday INTEGER NOT NULL CHECK (is_workday IN (0, 1)),
        note TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE complaints (
        id INTEGER PRIMARY KEY,
        no TEXT NOT NULL UNIQUE,
        received_at TEXT NOT NULL,
        receiver TEXT NOT NULL DEFAULT '',
        complainant TEXT NOT NULL DEFAULT '',
        room TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        channel TEXT NOT NULL,
        content TEXT NOT NULL,
        category TEXT NOT NULL DEFAULT '',
        request TEXT NOT NULL DEFAULT '',
        requested_reply_at TEXT,
        severity TEXT NOT NULL,
        urgency TEXT NOT NULL,
        immediate_reply TEXT NOT NULL DEFAULT '',
        validity TEXT,
        attribution TEXT,
        follow_up_party TEXT NOT NULL DEFAULT '',
        follow_up_result TEXT NOT NULL DEFAULT '',
        follow_up_closed_at TEXT,
        cause_analysis TEXT NOT NULL DEFAULT '',
        measures TEXT NOT NULL DEFAULT '',
        responsible_dept TEXT NOT NULL DEFAULT '',
        handler TEXT NOT NULL DEFAULT '',
        completed_at TEXT,
        reply_method TEXT,
        replied_at TEXT,
        reply_content TEXT NOT NULL DEFAULT '',
        visited_at TEXT,
        visitor TEXT NOT NULL DEFAULT '',
        visit_method TEXT NOT NULL DEFAULT '',
        opinion TEXT,
        opinion_remarks TEXT NOT NULL DEFAULT '',
        reopen_count INTEGER NOT NULL DEFAULT 0,
        reviewed_by TEXT NOT NULL DEFAULT '',
        reviewed_at TEXT,
        status TEXT NOT NULL,
        closed_at TEXT,
        reply_due_at TEXT NOT NULL,
        due_estimated INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX complaints_received ON complaints (received_at)",
    "CREATE INDEX complaints_status ON complaints (status, received_at)",
    "CREATE INDEX complaints_due ON complaints (replied_at, reply_due_at)",
    "CREATE INDEX complaints_dept ON complaints (responsible_dept)",
    "CREATE INDEX complaints_category ON complaints (category)",
    """CREATE TABLE complaint_past_visits (
        id INTEGER PRIMARY KEY,
        complaint_id INTEGER NOT NULL REFERENCES complaints(id),
        visited_at TEXT NOT NULL,
        visitor TEXT NOT NULL,
        method TEXT NOT NULL,
        opinion TEXT NOT NULL,
        remarks TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX past_visits_complaint ON complaint_past_visits (complaint_id)",
    """CREATE TABLE complaint_events (
        id INTEGER PRIMARY KEY,
        complaint_id INTEGER NOT NULL REFERENCES complaints(id),
        at TEXT NOT NULL,
        actor TEXT NOT NULL DEFAULT '',
        action TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX complaint_events_complaint ON complaint_events (complaint_id)",
    # Bigram index: see app/store/search_text.py. rowid = complaints.id (re-keyed in schema 2).
    """CREATE VIRTUAL TABLE complaint_search USING fts5(
        body, tokenize = 'unicode61 remove_diacritics 0', prefix = '1'
    )""",
    """CREATE TABLE transfer_sheets (
        id INTEGER PRIMARY KEY,
        no TEXT NOT NULL UNIQUE,
        raised_on TEXT NOT NULL,
        initiator TEXT NOT NULL,
        initiator_dept TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL,
        situation TEXT NOT NULL,
        proposal TEXT NOT NULL DEFAULT '',
        complaint_id INTEGER REFERENCES complaints(id),
        responsible_dept TEXT NOT NULL DEFAULT '',
        result TEXT NOT NULL DEFAULT '',
        customer_reply TEXT NOT NULL DEFAULT '',
        completed_on TEXT,
        handled_by TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX transfer_sheets_complaint ON transfer_sheets (complaint_id, completed_on)",
    """CREATE TABLE transfer_levels (
        id INTEGER PRIMARY KEY,
        sheet_id INTEGER NOT NULL REFERENCES transfer_sheets(id),
        level TEXT NOT NULL,
        opinion TEXT NOT NULL,
        signer TEXT NOT NULL,
        signed_on TEXT NOT NULL,
        UNIQUE (sheet_id, level)
    )""",
    """CREATE TABLE work_notices (
        id INTEGER PRIMARY KEY,
        no TEXT NOT NULL UNIQUE,
        issued_on TEXT NOT NULL,
        issuer TEXT NOT NULL,
        to_dept TEXT NOT NULL,
        receiver TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL,
        transfer_id INTEGER REFERENCES transfer_sheets(id),
        content TEXT NOT NULL,
        requirement TEXT NOT NULL DEFAULT '',
        due_at TEXT,
        signed_by TEXT NOT NULL DEFAULT '',
        signed_at TEXT,
        outcome TEXT NOT NULL DEFAULT '',
        completed_at TEXT,
        acceptance TEXT NOT NULL DEFAULT '',
        accepted_by TEXT NOT NULL DEFAULT '',
        accepted_on TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX work_notices_transfer ON work_notices (transfer_id)",
)
