"""Repair reference data the office maintains: categories, time limits, prices, zones, ledger."""

from __future__ import annotations

from collections.abc import Callable

from app.db.connection import Database
from app.domain.access import Permission
from app.domain.errors import FieldError, ValidationError
from app.domain.repair import Facility, PriceItem, TimeLimit, Zone
from app.domain.repair_listing import RepairRow
from app.domain.repair_rules import load_time_limits_csv, parse_money
from app.domain.text_checks import MEDIUM, SHORT, check_texts, missing
from app.paths import shipped_data_path
from app.services.session import Session, open_to_anyone, requires
from app.store.reference import ReferenceStore
from app.store.repair_reference import RepairReferenceStore
from app.store.repairs import RepairStore

SEEDED = "seeded_repairs"


class RepairReferenceService:
    def __init__(self, database: Database, *, session: Session) -> None:
        self.session = session
        self.database = database
        self.store = RepairReferenceStore(database)
        self.settings = ReferenceStore(database)
        self.listeners: list[Callable[[], object]] = []  # e.g. recompute open repair deadlines

    @open_to_anyone
    def ensure_seeded(self) -> None:
        """A database without repair reference data gets what data/ ships."""
        if self.settings.setting(SEEDED):
            return
        with self.database.transaction():
            text = shipped_data_path("repair_categories.txt").read_text(encoding="utf-8")
            self.store.categories.set([n.strip() for n in text.splitlines() if n.strip()])
            limits = shipped_data_path("repair_time_limits.csv").read_text(encoding="utf-8-sig")
            for limit in load_time_limits_csv(limits):
                self.store.set_time_limit(limit)
            for item in _price_list(shipped_data_path("price_list.csv").read_text("utf-8-sig")):
                self.store.save_price_item(item)
            self.settings.set_setting(SEEDED, "1")

    # ----- categories
    @requires(Permission.VIEW)
    def categories(self) -> list[str]:
        return self.store.categories.names()

    @requires(Permission.EDIT_REFERENCE)
    def set_categories(self, names: list[str]) -> None:
        cleaned = [n.strip() for n in names if n.strip()]
        if not cleaned or len(set(cleaned)) != len(cleaned):
            raise ValidationError([FieldError("categories", "维修类别不能为空或重复")])
        with self.database.transaction():
            self.store.categories.set(cleaned)

    # ----- 维修时限表
    @requires(Permission.VIEW)
    def time_limits(self) -> list[TimeLimit]:
        return self.store.time_limits()

    @requires(Permission.EDIT_REFERENCE)
    def set_time_limit(self, limit: TimeLimit) -> None:
        errors = [
            FieldError(f, "时限须大于0小时")
            for f, hours in (
                ("arrive_hours", limit.arrive_hours),
                ("complete_hours", limit.complete_hours),
            )
            if not hours > 0
        ]
        if limit.complete_hours < limit.arrive_hours:
            errors.append(FieldError("complete_hours", "完成时限不能短于到场时限"))
        if errors:
            raise ValidationError(errors)
        with self.database.transaction():
            self.store.set_time_limit(limit)
            for listener in self.listeners:
                listener()

    # ----- 收费标准
    @requires(Permission.VIEW)
    def price_list(self) -> list[PriceItem]:
        return self.store.price_list()

    @requires(Permission.EDIT_REFERENCE)
    def save_price_item(self, item: PriceItem) -> None:
        errors = check_texts(
            [("item", "项目", item.item, SHORT, False), ("unit", "单位", item.unit, SHORT, False)]
        )
        errors += missing(item, (("item", "请填写项目名称"),))
        if item.price_fen < 0:
            errors.append(FieldError("price_fen", "单价不能为负数"))
        if errors:
            raise ValidationError(errors)
        with self.database.transaction():
            self.store.save_price_item(
                PriceItem(item.item.strip(), item.unit.strip(), item.price_fen)
            )

    @requires(Permission.EDIT_REFERENCE)
    def remove_price_item(self, item: str) -> None:
        with self.database.transaction():
            self.store.remove_price_item(item)

    # ----- 片区
    @requires(Permission.VIEW)
    def zones(self) -> list[Zone]:
        return self.store.zones()

    @requires(Permission.EDIT_REFERENCE)
    def save_zone(self, zone: Zone) -> None:
        errors = check_texts(
            [
                ("name", "片区名称", zone.name, SHORT, False),
                ("clerk", "客服", zone.clerk, SHORT, False),
                ("repairer", "维修工", zone.repairer, SHORT, False),
            ]
        )
        errors += missing(zone, (("name", "请填写片区名称"),))
        if errors:
            raise ValidationError(errors)
        buildings = tuple(dict.fromkeys(b.strip() for b in zone.buildings if b.strip()))
        with self.database.transaction():
            self.store.save_zone(
                Zone(zone.name.strip(), buildings, zone.clerk.strip(), zone.repairer.strip())
            )

    @requires(Permission.EDIT_REFERENCE)
    def remove_zone(self, name: str) -> None:
        with self.database.transaction():
            self.store.remove_zone(name)

    @requires(Permission.VIEW)
    def zone_for(self, room_or_location: str) -> Zone | None:
        """The 片区 of a room's building ("3-2-1201" → 栋 3)."""
        building = room_or_location.split("-")[0].strip() if "-" in room_or_location else ""
        return self.store.zone_of_building(building) if building else None

    # ----- 台账
    @requires(Permission.VIEW)
    def facilities(self) -> list[Facility]:
        return self.store.facilities()

    @requires(Permission.VIEW)
    def facility(self, facility_id: int) -> Facility | None:
        return self.store.facility(facility_id)

    @requires(Permission.EDIT_REFERENCE)
    def save_facility(self, f: Facility) -> Facility:
        errors = check_texts(
            [
                ("name", "设施名称", f.name, SHORT, False),
                ("kind", "类型", f.kind, SHORT, False),
                ("location", "位置", f.location, MEDIUM, False),
                ("model", "型号", f.model, SHORT, False),
            ]
        )
        errors += missing(f, (("name", "请填写设施名称"), ("kind", "请填写设施类型")))
        if errors:
            raise ValidationError(errors)
        with self.database.transaction():
            facility_id = self.store.save_facility(f)
        saved = self.store.facility(facility_id)
        assert saved is not None
        return saved

    @requires(Permission.VIEW)
    def facility_history(self, facility_id: int) -> list[RepairRow]:
        """The facility's repairs, oldest first (its upkeep record)."""
        repairs = RepairStore(self.database)
        return repairs.rows(repairs.ids_where("facility_id", facility_id))


def _price_list(text: str) -> list[PriceItem]:
    items = []
    for n, line in enumerate(text.splitlines()[1:], 2):
        if not line.strip():
            continue
        item, unit, price = (part.strip() for part in line.split(","))
        try:
            items.append(PriceItem(item, unit, parse_money(price)))
        except ValueError as e:
            raise ValueError(f"price_list.csv 第{n}行：{e}") from e
    return items
