"""Reference data the office maintains: departments, staff, households, categories, calendar
overrides and settings. The only place their SQL is written."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.db.connection import Database
from app.store.pick_list import PickList


@dataclass(frozen=True)
class Household:
    """One room of the household register (住户登记): 栋/单元/房号, owner, phone, occupied."""

    building: str
    unit: str
    room: str
    owner_name: str = ""
    phone: str = ""
    occupied: bool = True

    @property
    def label(self) -> str:
        return f"{self.building}-{self.unit}-{self.room}"


@dataclass(frozen=True)
class StaffMember:
    name: str
    department: str
    role_title: str = ""
    id: int | None = None


class ReferenceStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    # ----- departments
    def departments(self) -> list[str]:
        return [
            r["name"]
            for r in self.database.query(
                "SELECT name FROM departments WHERE active = 1 ORDER BY id"
            )
        ]

    def add_department(self, name: str) -> None:
        self.database.conn.execute(
            "INSERT INTO departments (name) VALUES (?) ON CONFLICT (name) DO UPDATE SET active = 1",
            (name,),
        )

    def remove_department(self, name: str) -> None:
        self.database.conn.execute("UPDATE departments SET active = 0 WHERE name = ?", (name,))

    # ----- staff
    def staff(self) -> list[StaffMember]:
        return [
            StaffMember(r["name"], r["department"] or "", r["role_title"], r["id"])
            for r in self.database.query(
                "SELECT s.id, s.name, d.name AS department, s.role_title FROM staff s "
                "LEFT JOIN departments d ON d.id = s.department_id WHERE s.active = 1 "
                "ORDER BY d.id, s.name"
            )
        ]

    def add_staff(self, member: StaffMember) -> None:
        dept_id = self.database.scalar(
            "SELECT id FROM departments WHERE name = ?", (member.department,)
        )
        self.database.conn.execute(
            "INSERT INTO staff (name, department_id, role_title) VALUES (?, ?, ?) "
            "ON CONFLICT (name, department_id) DO UPDATE SET role_title = excluded.role_title, "
            "active = 1",
            (member.name, dept_id, member.role_title),
        )

    def remove_staff(self, staff_id: int) -> None:
        self.database.conn.execute("UPDATE staff SET active = 0 WHERE id = ?", (staff_id,))

    # ----- households
    def household_count(self) -> int:
        return int(self.database.scalar("SELECT count(*) FROM households"))

    def household_labels(self) -> list[str]:
        return [
            r[0]
            for r in self.database.reader().execute(
                # numbers in numeric order: 2 before 10, 101 before 1001
                "SELECT label FROM households ORDER BY length(building), building, "
                "length(unit), unit, length(room), room"
            )
        ]

    def household(self, label: str) -> Household | None:
        rows = self.database.query("SELECT * FROM households WHERE label = ?", (label,))
        if not rows:
            return None
        r = rows[0]
        return Household(
            r["building"], r["unit"], r["room"], r["owner_name"], r["phone"], bool(r["occupied"])
        )

    def upsert_households(self, households: Iterable[Household]) -> int:
        count = 0
        for h in households:
            self.database.conn.execute(
                "INSERT INTO households (building, unit, room, label, owner_name, phone, occupied)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (label) DO UPDATE SET "
                "owner_name = excluded.owner_name, phone = excluded.phone, "
                "occupied = excluded.occupied",
                (h.building, h.unit, h.room, h.label, h.owner_name, h.phone, int(h.occupied)),
            )
            count += 1
        return count

    # ----- categories (投诉类别, shared with surveys)
    def categories(self) -> list[str]:
        return PickList(self.database, "categories").names()

    def set_categories(self, names: list[str]) -> None:
        PickList(self.database, "categories").set(names)

    # ----- calendar overrides
    def calendar_overrides(self) -> dict[date, tuple[bool, str]]:
        return {
            date.fromisoformat(r["day"]): (bool(r["is_workday"]), r["note"])
            for r in self.database.query("SELECT * FROM calendar_overrides ORDER BY day")
        }

    def set_calendar_override(self, day: date, is_workday: bool | None, note: str = "") -> None:
        """is_workday None removes the override."""
        if is_workday is None:
            self.database.conn.execute(
                "DELETE FROM calendar_overrides WHERE day = ?", (day.isoformat(),)
            )
            return
        self.database.conn.execute(
            "INSERT INTO calendar_overrides (day, is_workday, note) VALUES (?, ?, ?) "
            "ON CONFLICT (day) DO UPDATE SET is_workday = excluded.is_workday, "
            "note = excluded.note",
            (day.isoformat(), int(is_workday), note),
        )

    # ----- settings
    def setting(self, key: str, default: str = "") -> str:
        value = self.database.scalar("SELECT value FROM settings WHERE key = ?", (key,))
        return default if value is None else str(value)

    def set_setting(self, key: str, value: str) -> None:
        self.database.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
