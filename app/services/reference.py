"""Reference data use cases: departments, staff, households, categories, office settings."""

from __future__ import annotations

from dataclasses import dataclass

from app.db.connection import Database
from app.domain.access import Permission
from app.domain.errors import FieldError, ValidationError
from app.domain.workdays import parse_overrides_csv
from app.paths import shipped_data_path
from app.services.session import Session, open_to_anyone, requires
from app.store.reference import Household, ReferenceStore, StaffMember

SEEDED = "seeded"


@dataclass(frozen=True)
class OfficeSettings:
    """What the printed forms' header says."""

    estate_name: str = "示例小区"
    office_name: str = "物业管理处"


class ReferenceService:
    def __init__(self, database: Database, *, session: Session) -> None:
        self.session = session
        self.database = database
        self.store = ReferenceStore(database)

    @open_to_anyone
    def ensure_seeded(self) -> None:
        """A new database starts with the departments and categories shipped in data/."""
        if self.store.setting(SEEDED):
            return
        with self.database.transaction():
            for name in _lines("departments.txt"):
                self.store.add_department(name)
            self.store.set_categories(_lines("complaint_categories.txt"))
            overrides = shipped_data_path("calendar_overrides.csv").read_text(encoding="utf-8-sig")
            for day, is_workday in parse_overrides_csv(overrides).items():
                self.store.set_calendar_override(day, is_workday, "随程序提供")
            self.store.set_setting(SEEDED, "1")

    # ----- settings
    @requires(Permission.VIEW)
    def office(self) -> OfficeSettings:
        default = OfficeSettings()
        return OfficeSettings(
            estate_name=self.store.setting("estate_name", default.estate_name),
            office_name=self.store.setting("office_name", default.office_name),
        )

    @requires(Permission.EDIT_REFERENCE)
    def set_office(self, settings: OfficeSettings) -> None:
        if not settings.estate_name.strip():
            raise ValidationError([FieldError("estate_name", "请填写小区名称")])
        with self.database.transaction():
            self.store.set_setting("estate_name", settings.estate_name.strip())
            self.store.set_setting("office_name", settings.office_name.strip())

    # ----- departments and staff
    @requires(Permission.VIEW)
    def departments(self) -> list[str]:
        return self.store.departments()

    @requires(Permission.EDIT_REFERENCE)
    def add_department(self, name: str) -> None:
        if not name.strip():
            raise ValidationError([FieldError("name", "请填写部门名称")])
        with self.database.transaction():
            self.store.add_department(name.strip())

    @requires(Permission.EDIT_REFERENCE)
    def remove_department(self, name: str) -> None:
        with self.database.transaction():
            self.store.remove_department(name)

    @requires(Permission.VIEW)
    def staff(self) -> list[StaffMember]:
        return self.store.staff()

    @requires(Permission.EDIT_REFERENCE)
    def add_staff(self, member: StaffMember) -> None:
        errors = []
        if not member.name.strip():
            errors.append(FieldError("name", "请填写姓名"))
        if member.department not in self.store.departments():
            errors.append(FieldError("department", f"部门“{member.department}”不存在"))
        if errors:
            raise ValidationError(errors)
        with self.database.transaction():
            self.store.add_staff(member)

    @requires(Permission.EDIT_REFERENCE)
    def remove_staff(self, staff_id: int) -> None:
        with self.database.transaction():
            self.store.remove_staff(staff_id)

    @requires(Permission.VIEW)
    def staff_names(self) -> list[str]:
        return sorted({m.name for m in self.store.staff()})

    # ----- categories
    @requires(Permission.VIEW)
    def categories(self) -> list[str]:
        return self.store.categories()

    @requires(Permission.EDIT_REFERENCE)
    def set_categories(self, names: list[str]) -> None:
        cleaned = [n.strip() for n in names if n.strip()]
        if not cleaned:
            raise ValidationError([FieldError("categories", "至少保留一个投诉类别")])
        if len(set(cleaned)) != len(cleaned):
            raise ValidationError([FieldError("categories", "投诉类别有重复")])
        with self.database.transaction():
            self.store.set_categories(cleaned)

    # ----- households
    @requires(Permission.VIEW)
    def household_labels(self) -> list[str]:
        return self.store.household_labels()

    @requires(Permission.VIEW)
    def household(self, label: str) -> Household | None:
        return self.store.household(label)

    @requires(Permission.VIEW)
    def household_count(self) -> int:
        return self.store.household_count()

    @requires(Permission.EDIT_REFERENCE)
    def save_households(self, households: list[Household]) -> int:
        with self.database.transaction():
            return self.store.upsert_households(households)


def _lines(name: str) -> list[str]:
    text = shipped_data_path(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]
