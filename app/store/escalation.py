"""工作传签单 and 工作安排通知单 in SQLite: the only place their SQL is written."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.db.connection import Database
from app.domain.escalation import Level, LevelOpinion, NoticeSource, TransferSheet, WorkNotice
from app.domain.voiding import Voiding
from app.store.events import EventLog
from app.store.rows import day_in, day_out, dt_in, dt_out
from app.store.voiding import voiding_in, write_void

TRANSFER_PREFIX = "CQ"  # 传签
NOTICE_PREFIX = "TZ"  # 通知

_SHEET_FIELDS = (
    "no",
    "raised_on",
    "initiator",
    "initiator_dept",
    "subject",
    "situation",
    "proposal",
    "complaint_id",
    "responsible_dept",
    "result",
    "customer_reply",
    "completed_on",
    "handled_by",
)
_NOTICE_FIELDS = (
    "no",
    "issued_on",
    "issuer",
    "to_dept",
    "receiver",
    "source",
    "transfer_id",
    "content",
    "requirement",
    "due_at",
    "signed_by",
    "signed_at",
    "outcome",
    "completed_at",
    "acceptance",
    "accepted_by",
    "accepted_on",
)


def _sheet_row(s: TransferSheet) -> dict[str, Any]:
    return {
        "no": s.no,
        "raised_on": day_out(s.raised_on),
        "initiator": s.initiator,
        "initiator_dept": s.initiator_dept,
        "subject": s.subject,
        "situation": s.situation,
        "proposal": s.proposal,
        "complaint_id": s.complaint_id,
        "responsible_dept": s.responsible_dept,
        "result": s.result,
        "customer_reply": s.customer_reply,
        "completed_on": day_out(s.completed_on),
        "handled_by": s.handled_by,
    }


def _notice_row(n: WorkNotice) -> dict[str, Any]:
    return {
        "no": n.no,
        "issued_on": day_out(n.issued_on),
        "issuer": n.issuer,
        "to_dept": n.to_dept,
        "receiver": n.receiver,
        "source": n.source.value,
        "transfer_id": n.transfer_id,
        "content": n.content,
        "requirement": n.requirement,
        "due_at": dt_out(n.due_at),
        "signed_by": n.signed_by,
        "signed_at": dt_out(n.signed_at),
        "outcome": n.outcome,
        "completed_at": dt_out(n.completed_at),
        "acceptance": n.acceptance,
        "accepted_by": n.accepted_by,
        "accepted_on": day_out(n.accepted_on),
    }


class EscalationStore:
    def __init__(self, database: Database) -> None:
        self.database = database
        self.sheet_events = EventLog(database, "transfer_sheet")  # 作废 (steps go to the complaint)
        self.notice_events = EventLog(database, "work_notice")

    def _save(self, table: str, row: dict[str, Any], record_id: int | None, now: datetime) -> int:
        conn = self.database.conn
        stamp = dt_out(now)
        if record_id is None:
            row = row | {"created_at": stamp, "updated_at": stamp}
            cols = ", ".join(row)
            marks = ", ".join(f":{k}" for k in row)
            cur = conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", row)
            return int(cur.lastrowid or 0)
        row = row | {"updated_at": stamp}
        sets = ", ".join(f"{k} = :{k}" for k in row)
        conn.execute(f"UPDATE {table} SET {sets} WHERE id = :id", row | {"id": record_id})
        return record_id

    # ----- 工作传签单
    def save_sheet(self, s: TransferSheet, now: datetime) -> int:
        sheet_id = self._save("transfer_sheets", _sheet_row(s), s.id, now)
        conn = self.database.conn
        conn.execute("DELETE FROM transfer_levels WHERE sheet_id = ?", (sheet_id,))
        conn.executemany(
            "INSERT INTO transfer_levels (sheet_id, level, opinion, signer, signed_on) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (sheet_id, lv.level.value, lv.opinion, lv.signer, day_out(lv.signed_on))
                for lv in s.levels
            ],
        )
        return sheet_id

    def sheet(self, sheet_id: int) -> TransferSheet | None:
        rows = self.database.query(
            "SELECT t.*, c.no AS complaint_no, (SELECT n.no FROM work_notices n "
            "WHERE n.transfer_id = t.id ORDER BY n.id DESC LIMIT 1) AS notice_no "
            "FROM transfer_sheets t LEFT JOIN complaints c ON c.id = t.complaint_id "
            "WHERE t.id = ?",
            (sheet_id,),
        )
        if not rows:
            return None
        r = rows[0]
        levels = [
            LevelOpinion(Level(lv["level"]), lv["opinion"], lv["signer"], day_in(lv["signed_on"]))  # type: ignore[arg-type]
            for lv in self.database.query(
                "SELECT * FROM transfer_levels WHERE sheet_id = ? ORDER BY id", (sheet_id,)
            )
        ]
        return TransferSheet(
            id=r["id"],
            no=r["no"],
            raised_on=day_in(r["raised_on"]),  # type: ignore[arg-type]
            initiator=r["initiator"],
            initiator_dept=r["initiator_dept"],
            subject=r["subject"],
            situation=r["situation"],
            proposal=r["proposal"],
            complaint_id=r["complaint_id"],
            complaint_no=r["complaint_no"] or "",
            levels=levels,
            responsible_dept=r["responsible_dept"],
            notice_no=r["notice_no"] or "",
            result=r["result"],
            customer_reply=r["customer_reply"],
            completed_on=day_in(r["completed_on"]),
            handled_by=r["handled_by"],
            void=voiding_in(r),
        )

    def void_sheet(self, sheet_id: int, voiding: Voiding) -> None:
        write_void(self.database, "transfer_sheets", sheet_id, voiding)

    def sheet_id_for_no(self, no: str) -> int | None:
        value = self.database.scalar("SELECT id FROM transfer_sheets WHERE no = ?", (no,))
        return None if value is None else int(value)

    def sheets_for_complaint(self, complaint_id: int) -> list[TransferSheet]:
        ids = [
            r[0]
            for r in self.database.reader().execute(
                "SELECT id FROM transfer_sheets WHERE complaint_id = ? ORDER BY id", (complaint_id,)
            )
        ]
        return [s for i in ids if (s := self.sheet(i)) is not None]

    def sheet_summaries(self) -> list[dict[str, Any]]:
        return self.database.query(
            "SELECT t.id, t.no, t.raised_on, t.subject, t.initiator, t.completed_on, t.voided_at, "
            "c.no AS complaint_no, (SELECT level FROM transfer_levels l WHERE l.sheet_id = t.id "
            "ORDER BY l.id DESC LIMIT 1) AS last_level FROM transfer_sheets t "
            "LEFT JOIN complaints c ON c.id = t.complaint_id ORDER BY t.id DESC"
        )

    # ----- 工作安排通知单
    def save_notice(self, n: WorkNotice, now: datetime) -> int:
        return self._save("work_notices", _notice_row(n), n.id, now)

    def notice(self, notice_id: int) -> WorkNotice | None:
        rows = self.database.query(
            "SELECT n.*, t.no AS transfer_no FROM work_notices n "
            "LEFT JOIN transfer_sheets t ON t.id = n.transfer_id WHERE n.id = ?",
            (notice_id,),
        )
        if not rows:
            return None
        r = rows[0]
        return WorkNotice(
            id=r["id"],
            no=r["no"],
            issued_on=day_in(r["issued_on"]),  # type: ignore[arg-type]
            issuer=r["issuer"],
            to_dept=r["to_dept"],
            receiver=r["receiver"],
            source=NoticeSource(r["source"]),
            transfer_id=r["transfer_id"],
            transfer_no=r["transfer_no"] or "",
            content=r["content"],
            requirement=r["requirement"],
            due_at=dt_in(r["due_at"]),
            signed_by=r["signed_by"],
            signed_at=dt_in(r["signed_at"]),
            outcome=r["outcome"],
            completed_at=dt_in(r["completed_at"]),
            acceptance=r["acceptance"],
            accepted_by=r["accepted_by"],
            accepted_on=day_in(r["accepted_on"]),
            void=voiding_in(r),
        )

    def void_notice(self, notice_id: int, voiding: Voiding) -> None:
        write_void(self.database, "work_notices", notice_id, voiding)

    def notice_id_for_no(self, no: str) -> int | None:
        value = self.database.scalar("SELECT id FROM work_notices WHERE no = ?", (no,))
        return None if value is None else int(value)

    def notice_summaries(self) -> list[dict[str, Any]]:
        return self.database.query(
            "SELECT n.id, n.no, n.issued_on, n.to_dept, n.content, n.source, n.completed_at, "
            "n.accepted_on, n.voided_at, t.no AS transfer_no FROM work_notices n "
            "LEFT JOIN transfer_sheets t ON t.id = n.transfer_id ORDER BY n.id DESC"
        )
