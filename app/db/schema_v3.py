"""Schema 3: the repair register (报修/维修) and its reference data, and one event log shared
by every register (complaint_events moves into it)."""

from __future__ import annotations

_FTS = "fts5(body, tokenize = 'unicode61 remove_diacritics 0', prefix = '1')"

REPAIR_LIST_COLUMNS = (
    "id",
    "reported_at",
    "status",
    "category",
    "urgency",
    "repairer",
    "place",
    "reporter",
    "arrive_due_at",
    "complete_due_at",
    "arrived_at",
    "completed_at",
    "rework_of",
    "no",
)

STATEMENTS: tuple[str, ...] = (
    # ----- one event log for every register
    """CREATE TABLE record_events (
        id INTEGER PRIMARY KEY,
        register TEXT NOT NULL,
        record_id INTEGER NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL DEFAULT '',
        action TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX record_events_record ON record_events (register, record_id)",
    "INSERT INTO record_events (register, record_id, at, actor, action, detail) "
    "SELECT 'complaint', complaint_id, at, actor, action, detail FROM complaint_events "
    "ORDER BY id",
    "DROP TABLE complaint_events",
    # ----- repair reference data
    """CREATE TABLE repair_categories (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        sort_order INTEGER NOT NULL,
        active INTEGER NOT NULL DEFAULT 1
    )""",
    """CREATE TABLE repair_time_limits (
        category TEXT NOT NULL,
        urgency TEXT NOT NULL,
        arrive_hours REAL NOT NULL CHECK (arrive_hours > 0),
        complete_hours REAL NOT NULL CHECK (complete_hours > 0),
        PRIMARY KEY (category, urgency)
    )""",
    """CREATE TABLE price_list (
        id INTEGER PRIMARY KEY,
        item TEXT NOT NULL UNIQUE,
        unit TEXT NOT NULL DEFAULT '',
        price_fen INTEGER NOT NULL CHECK (price_fen >= 0),
        active INTEGER NOT NULL DEFAULT 1
    )""",
    """CREATE TABLE zones (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        clerk TEXT NOT NULL DEFAULT '',
        repairer TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE zone_buildings (
        building TEXT PRIMARY KEY,
        zone_id INTEGER NOT NULL REFERENCES zones(id) ON DELETE CASCADE
    )""",
    """CREATE TABLE facilities (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        location TEXT NOT NULL DEFAULT '',
        model TEXT NOT NULL DEFAULT '',
        installed_on TEXT,
        UNIQUE (name, location)
    )""",
    # ----- the repair register
    """CREATE TABLE repairs (
        id INTEGER PRIMARY KEY,
        no TEXT NOT NULL UNIQUE,
        reported_at TEXT NOT NULL,
        reporter TEXT NOT NULL DEFAULT '',
        room TEXT NOT NULL DEFAULT '',
        location TEXT NOT NULL DEFAULT '',
        facility_id INTEGER REFERENCES facilities(id),
        place TEXT NOT NULL,
        phone TEXT NOT NULL DEFAULT '',
        channel TEXT NOT NULL,
        category TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL,
        urgency TEXT NOT NULL,
        chargeable INTEGER NOT NULL DEFAULT 0,
        appointment_at TEXT,
        dispatched_at TEXT,
        repairer TEXT NOT NULL DEFAULT '',
        arrived_at TEXT,
        completed_at TEXT,
        result TEXT NOT NULL DEFAULT '',
        acceptance_at TEXT,
        acceptance_result TEXT,
        acceptance_signed INTEGER NOT NULL DEFAULT 0,
        acceptance_remarks TEXT NOT NULL DEFAULT '',
        visited_at TEXT,
        visitor TEXT NOT NULL DEFAULT '',
        visit_result TEXT,
        visit_remarks TEXT NOT NULL DEFAULT '',
        reopen_count INTEGER NOT NULL DEFAULT 0,
        complaint_id INTEGER REFERENCES complaints(id),
        rework_of INTEGER REFERENCES repairs(id),
        status TEXT NOT NULL,
        closed_at TEXT,
        arrive_due_at TEXT NOT NULL,
        complete_due_at TEXT NOT NULL,
        visit_due_at TEXT,
        due_estimated INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX repairs_reported ON repairs (reported_at)",
    "CREATE INDEX repairs_by_status ON repairs (status, reported_at)",
    "CREATE INDEX repairs_by_category ON repairs (category)",
    "CREATE INDEX repairs_by_urgency ON repairs (urgency)",
    "CREATE INDEX repairs_by_repairer ON repairs (repairer)",
    "CREATE INDEX repairs_by_place ON repairs (place, category, completed_at)",
    "CREATE INDEX repairs_by_reporter ON repairs (reporter)",
    "CREATE INDEX repairs_by_arrive_due ON repairs (arrive_due_at)",
    "CREATE INDEX repairs_by_complete_due ON repairs (complete_due_at)",
    "CREATE INDEX repairs_by_facility ON repairs (facility_id)",
    "CREATE INDEX repairs_by_complaint ON repairs (complaint_id)",
    "CREATE INDEX repairs_by_rework ON repairs (rework_of)",
    f"CREATE INDEX repairs_list ON repairs ({', '.join(REPAIR_LIST_COLUMNS)})",
    """CREATE TABLE repair_charges (
        id INTEGER PRIMARY KEY,
        repair_id INTEGER NOT NULL REFERENCES repairs(id),
        line_no INTEGER NOT NULL,
        item TEXT NOT NULL,
        unit TEXT NOT NULL DEFAULT '',
        quantity TEXT NOT NULL,
        unit_price_fen INTEGER NOT NULL CHECK (unit_price_fen >= 0),
        UNIQUE (repair_id, line_no)
    )""",
    """CREATE TABLE repair_not_home (
        id INTEGER PRIMARY KEY,
        repair_id INTEGER NOT NULL REFERENCES repairs(id),
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        new_appointment TEXT,
        note TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX repair_not_home_repair ON repair_not_home (repair_id)",
    """CREATE TABLE repair_past_visits (
        id INTEGER PRIMARY KEY,
        repair_id INTEGER NOT NULL REFERENCES repairs(id),
        at TEXT NOT NULL,
        visitor TEXT NOT NULL,
        result TEXT NOT NULL,
        remarks TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX repair_past_visits_repair ON repair_past_visits (repair_id)",
    # keyed like complaint_search (schema 2): report minute << 32 | id
    f"CREATE VIRTUAL TABLE repair_search USING {_FTS}",
)
