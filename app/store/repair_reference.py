"""Repair reference data: categories, the 维修时限表, the 收费标准, 片区 and the 台账."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.db.connection import Database
from app.domain.repair import Facility, PriceItem, RepairUrgency, TimeLimit, Zone
from app.store.pick_list import PickList
from app.store.rows import day_in, day_out


class RepairReferenceStore:
    def __init__(self, database: Database) -> None:
        self.database = database
        self.categories = PickList(database, "repair_categories")

    # ----- 维修时限表
    def time_limits(self) -> list[TimeLimit]:
        return [
            TimeLimit(
                r["category"], RepairUrgency(r["urgency"]), r["arrive_hours"], r["complete_hours"]
            )
            for r in self.database.query(
                "SELECT * FROM repair_time_limits ORDER BY category, urgency"
            )
        ]

    def set_time_limit(self, limit: TimeLimit) -> None:
        self.database.conn.execute(
            "INSERT INTO repair_time_limits (category, urgency, arrive_hours, complete_hours) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (category, urgency) DO UPDATE SET "
            "arrive_hours = excluded.arrive_hours, complete_hours = excluded.complete_hours",
            (limit.category, limit.urgency.value, limit.arrive_hours, limit.complete_hours),
        )

    # ----- 收费标准
    def price_list(self) -> list[PriceItem]:
        return [
            PriceItem(r["item"], r["unit"], r["price_fen"])
            for r in self.database.query(
                "SELECT item, unit, price_fen FROM price_list WHERE active = 1 ORDER BY id"
            )
        ]

    def save_price_item(self, item: PriceItem) -> None:
        self.database.conn.execute(
            "INSERT INTO price_list (item, unit, price_fen) VALUES (?, ?, ?) "
            "ON CONFLICT (item) DO UPDATE SET unit = excluded.unit, "
            "price_fen = excluded.price_fen, active = 1",
            (item.item, item.unit, item.price_fen),
        )

    def remove_price_item(self, item: str) -> None:
        self.database.conn.execute("UPDATE price_list SET active = 0 WHERE item = ?", (item,))

    # ----- 片区
    def zones(self) -> list[Zone]:
        buildings: dict[int, list[str]] = {}
        for r in self.database.query("SELECT zone_id, building FROM zone_buildings"):
            buildings.setdefault(r["zone_id"], []).append(r["building"])
        return [
            Zone(
                r["name"],
                tuple(sorted(buildings.get(r["id"], []), key=_building_order)),
                r["clerk"],
                r["repairer"],
            )
            for r in self.database.query("SELECT * FROM zones ORDER BY name")
        ]

    def save_zone(self, zone: Zone) -> None:
        conn = self.database.conn
        conn.execute(
            "INSERT INTO zones (name, clerk, repairer) VALUES (?, ?, ?) ON CONFLICT (name) "
            "DO UPDATE SET clerk = excluded.clerk, repairer = excluded.repairer",
            (zone.name, zone.clerk, zone.repairer),
        )
        zone_id = self.database.scalar("SELECT id FROM zones WHERE name = ?", (zone.name,))
        conn.execute("DELETE FROM zone_buildings WHERE zone_id = ?", (zone_id,))
        conn.executemany(
            "INSERT INTO zone_buildings (building, zone_id) VALUES (?, ?) "
            "ON CONFLICT (building) DO UPDATE SET zone_id = excluded.zone_id",
            [(b, zone_id) for b in zone.buildings],
        )

    def remove_zone(self, name: str) -> None:
        self.database.conn.execute("DELETE FROM zones WHERE name = ?", (name,))

    def zone_of_building(self, building: str) -> Zone | None:
        name = self.database.scalar(
            "SELECT z.name FROM zones z JOIN zone_buildings b ON b.zone_id = z.id "
            "WHERE b.building = ?",
            (building,),
        )
        return next((z for z in self.zones() if z.name == name), None) if name else None

    # ----- 台账
    def facilities(self) -> list[Facility]:
        return [
            _facility(r)
            for r in self.database.query("SELECT * FROM facilities ORDER BY kind, name")
        ]

    def facility(self, facility_id: int) -> Facility | None:
        rows = self.database.query("SELECT * FROM facilities WHERE id = ?", (facility_id,))
        return _facility(rows[0]) if rows else None

    def save_facility(self, f: Facility) -> int:
        row = {
            "name": f.name,
            "kind": f.kind,
            "location": f.location,
            "model": f.model,
            "installed_on": day_out(f.installed_on),
        }
        if f.id is None:
            cur = self.database.conn.execute(
                "INSERT INTO facilities (name, kind, location, model, installed_on) "
                "VALUES (:name, :kind, :location, :model, :installed_on)",
                row,
            )
            return int(cur.lastrowid or 0)
        self.database.conn.execute(
            "UPDATE facilities SET name = :name, kind = :kind, location = :location, "
            "model = :model, installed_on = :installed_on WHERE id = :id",
            row | {"id": f.id},
        )
        return f.id


def _facility(r: dict[str, Any]) -> Facility:
    installed: date | None = day_in(r["installed_on"])
    return Facility(r["name"], r["kind"], r["location"], r["model"], installed, r["id"])


def _building_order(building: str) -> tuple[int, str]:
    return (len(building), building)  # 2 before 10
