"""Accounts through AccountService on a real database: the first administrator, signing in,
lockout on a clock the test moves, user management and password hashing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from app.domain.access import PermissionDeniedError, Role
from app.domain.errors import ValidationError, WorkflowError
from app.paths import DataDir
from app.services import Services, SignInError, open_services
from tests.accounts_support import FAST_HASHER
from tests.conftest import NOW, FakeClock

ADMIN, ADMIN_PW = "管理员", "admin-pass-1"
CLERK, CLERK_PW = "前台小李", "clerk-pass-1"


@pytest.fixture
def office(data_dir: DataDir, clock: FakeClock) -> Iterator[Services]:
    """A new data folder: nobody signed in, no user yet."""
    s = open_services(data_dir, clock=clock, hasher=FAST_HASHER)
    yield s
    s.close()


@pytest.fixture
def staffed(office: Services) -> Services:
    """The administrator and a clerk exist; nobody is signed in."""
    office.accounts.setup_admin(ADMIN, ADMIN_PW)
    office.accounts.sign_in(ADMIN, ADMIN_PW)
    office.accounts.add_user(CLERK, CLERK_PW, [Role.CLERK])
    office.accounts.sign_out()
    return office


def entries(s: Services, since: int = 0) -> list[dict[str, object]]:
    return s.database.query(
        "SELECT seq, actor, action, record_type, changes FROM audit_log "
        "WHERE record_type = 'users' AND seq > ? ORDER BY seq",
        (since,),
    )


def last_seq(s: Services) -> int:
    return int(s.database.scalar("SELECT coalesce(max(seq), 0) FROM audit_log"))


def test_the_first_administrator_is_set_up_once(office: Services) -> None:
    accounts = office.accounts
    assert accounts.needs_setup()
    with pytest.raises(PermissionDeniedError):
        accounts.users()  # nobody signed in
    admin = accounts.setup_admin(ADMIN, ADMIN_PW, extra_roles=[Role.MANAGER])
    assert admin.roles == {Role.ADMIN, Role.MANAGER} and admin.active
    assert not accounts.needs_setup()
    assert office.session.user is None  # setting up does not sign in
    with pytest.raises(WorkflowError, match="已经有用户了"):
        accounts.setup_admin("另一个", "other-pass-1")
    assert [u.name for u in accounts.store.all()] == [ADMIN]


def test_a_weak_first_administrator_is_refused_with_every_problem(office: Services) -> None:
    with pytest.raises(ValidationError) as e:
        office.accounts.setup_admin("管 理", "123")
    assert {(x.field, x.message) for x in e.value.errors} == {
        ("name", "用户名不能含空格、逗号或控制字符"),
        ("password", "密码至少 8 位"),
    }
    assert office.accounts.needs_setup()


def test_sign_in_right_wrong_and_unknown(staffed: Services) -> None:
    accounts, session = staffed.accounts, staffed.session
    with pytest.raises(SignInError, match=r"^用户名或密码不对（再错 4 次将锁定账户）$"):
        accounts.sign_in(CLERK, "wrong-pass")
    assert session.user is None
    with pytest.raises(SignInError, match=r"^用户名或密码不对$"):
        accounts.sign_in("没这个人", CLERK_PW)  # the same words: which part was wrong is not said
    user = accounts.sign_in(f"  {CLERK} ", CLERK_PW)
    assert session.user == user and user.name == CLERK and user.roles == {Role.CLERK}
    assert user.failed_logins == 0 and staffed.database.actor == CLERK
    accounts.sign_out()
    assert session.user is None and staffed.database.actor == "系统"


def test_a_name_typed_in_full_width_signs_in(office: Services) -> None:
    office.accounts.setup_admin("ｗａｎｇ０１", ADMIN_PW)
    assert office.accounts.store.by_name("wang01") is not None
    assert office.accounts.sign_in("wang01", ADMIN_PW).name == "wang01"
    assert office.accounts.sign_in("ｗａｎｇ０１", ADMIN_PW).name == "wang01"
    with pytest.raises(ValidationError, match="已有名为“wang01”的用户"):
        office.accounts.add_user("ｗａｎｇ０１", "other-pass-1", [Role.CLERK])


def test_a_password_that_is_not_valid_text_is_just_wrong(staffed: Services) -> None:
    with pytest.raises(SignInError, match="用户名或密码不对"):
        staffed.accounts.sign_in(CLERK, "clerk-pass-\udcff")  # e.g. from an environment variable
    with pytest.raises(SignInError, match="用户名或密码不对"):
        staffed.accounts.sign_in("没这个人", "\udcff")


def test_lockout_after_four_free_failures_with_a_growing_delay(
    staffed: Services, clock: FakeClock
) -> None:
    accounts = staffed.accounts
    for left in (4, 3, 2, 1):
        with pytest.raises(SignInError, match=f"再错 {left} 次将锁定账户"):
            accounts.sign_in(CLERK, "wrong-pass")
    delay = timedelta(minutes=1)
    for failures in range(5, 9):
        until = clock.now + delay
        with pytest.raises(
            SignInError, match=f"密码连续输错 {failures} 次，账户已锁定到 {until:%H:%M}"
        ):
            accounts.sign_in(CLERK, "wrong-pass")
        user = accounts.store.by_name(CLERK)
        assert user is not None and (user.failed_logins, user.locked_until) == (failures, until)
        clock.now = until - timedelta(seconds=1)  # not yet: even the right password is refused
        with pytest.raises(SignInError, match=f"已锁定，请在 {until:%H:%M} 之后再试，或请主管解锁"):
            accounts.sign_in(CLERK, CLERK_PW)
        with pytest.raises(SignInError, match="已锁定"):
            accounts.sign_in(CLERK, "wrong-pass")  # refused unchecked: not counted
        clock.now = until
        delay *= 2
    assert accounts.store.by_name(CLERK).failed_logins == 8  # type: ignore[union-attr]
    assert accounts.sign_in(CLERK, CLERK_PW).failed_logins == 0  # the time passed
    assert accounts.store.by_name(CLERK).locked_until is None  # type: ignore[union-attr]


def test_a_long_lock_names_the_day_it_ends(staffed: Services, clock: FakeClock) -> None:
    with staffed.database.transaction():
        user = staffed.accounts.store.by_name(CLERK)
        assert user is not None
        staffed.accounts.store.update(user.id, clock.now, failed_logins=15)
    with pytest.raises(SignInError, match="密码连续输错 16 次，账户已锁定到 11月21日 10:00"):
        staffed.accounts.sign_in(CLERK, "wrong-pass")
    clock.now += timedelta(hours=1)
    with pytest.raises(SignInError, match="请在 11月21日 10:00 之后再试"):
        staffed.accounts.sign_in(CLERK, CLERK_PW)
    clock.now += timedelta(hours=22)
    with pytest.raises(SignInError, match="请在 10:00 之后再试"):  # the same day: the time only
        staffed.accounts.sign_in(CLERK, CLERK_PW)
    clock.now += timedelta(hours=1)
    assert staffed.accounts.sign_in(CLERK, CLERK_PW).name == CLERK


def test_a_supervisor_unlocks_and_the_count_starts_again(
    staffed: Services, clock: FakeClock
) -> None:
    accounts = staffed.accounts
    for _ in range(5):
        with pytest.raises(SignInError):
            accounts.sign_in(CLERK, "wrong-pass")
    accounts.sign_in(ADMIN, ADMIN_PW)
    accounts.add_user("王经理", "manager-pass-1", [Role.MANAGER])
    accounts.sign_in("王经理", "manager-pass-1")
    unlocked = accounts.unlock(CLERK)
    assert (unlocked.failed_logins, unlocked.locked_until) == (0, None)
    assert accounts.sign_in(CLERK, CLERK_PW).name == CLERK
    with pytest.raises(PermissionDeniedError, match="解锁用户"):
        accounts.unlock(CLERK)  # a clerk may not
    accounts.sign_out()
    with pytest.raises(SignInError, match="再错 4 次"):
        accounts.sign_in(CLERK, "wrong-pass")  # four free failures again


def test_failed_sign_ins_and_sign_ins_are_in_the_trail(staffed: Services) -> None:
    since = last_seq(staffed)
    with pytest.raises(SignInError):
        staffed.accounts.sign_in(CLERK, "wrong-pass")
    with pytest.raises(SignInError):
        staffed.accounts.sign_in("没这个人", "wrong-pass")
    user = staffed.accounts.sign_in(CLERK, CLERK_PW)
    logged = entries(staffed, since)
    assert [(e["actor"], e["action"]) for e in logged] == [
        (CLERK, "update"),  # the failure, by the name tried
        (CLERK, "update"),  # the count set back to zero
        (CLERK, "sign_in"),
    ]
    failure, reset, note = (json.loads(str(e["changes"])) for e in logged)
    assert failure["failed_logins"] == [0, 1] and reset["failed_logins"] == [1, 0]
    assert note == {"name": CLERK}
    assert staffed.database.scalar("SELECT record_id FROM audit_log ORDER BY seq DESC") == user.id


def test_the_last_active_administrator_stays(staffed: Services) -> None:
    accounts = staffed.accounts
    accounts.sign_in(ADMIN, ADMIN_PW)
    with pytest.raises(WorkflowError, match="至少要保留一个在用的管理员"):
        accounts.set_roles(ADMIN, [Role.MANAGER])
    with pytest.raises(WorkflowError, match="不能停用自己正在使用的账户"):
        accounts.set_active(ADMIN, False)
    with pytest.raises(ValidationError, match="至少选择一个角色"):
        accounts.set_roles(CLERK, [])
    accounts.add_user("第二管理员", "admin-pass-2", [Role.ADMIN])
    accounts.sign_in("第二管理员", "admin-pass-2")
    assert not accounts.set_active(ADMIN, False).active  # another one remains
    with pytest.raises(WorkflowError, match="至少要保留一个在用的管理员"):
        accounts.set_roles("第二管理员", [Role.CLERK])
    with pytest.raises(SignInError, match="^用户名或密码不对$"):
        accounts.sign_in(ADMIN, ADMIN_PW)  # disabled
    assert accounts.set_active(ADMIN, True).active
    assert accounts.set_roles("第二管理员", [Role.CLERK]).roles == {Role.CLERK}
    assert staffed.session.user is not None and staffed.session.user.roles == {Role.CLERK}
    with pytest.raises(PermissionDeniedError, match="管理用户"):
        accounts.add_user("又一个", "other-pass-1", [Role.CLERK])  # the change took effect


def test_change_own_password(staffed: Services) -> None:
    accounts = staffed.accounts
    accounts.sign_in(CLERK, CLERK_PW)
    with pytest.raises(ValidationError) as e:
        accounts.change_own_password("not-the-old", "new-pass-12")
    assert [(x.field, x.message) for x in e.value.errors] == [("old_password", "原密码不对")]
    with pytest.raises(ValidationError, match="密码太简单"):
        accounts.change_own_password(CLERK_PW, "11111111")
    accounts.change_own_password(CLERK_PW, "new-pass-12")
    accounts.sign_out()
    with pytest.raises(SignInError):
        accounts.sign_in(CLERK, CLERK_PW)
    assert accounts.sign_in(CLERK, "new-pass-12").name == CLERK


def test_passwords_are_argon2id_hashes_rehashed_when_the_parameters_change(
    staffed: Services, data_dir: DataDir, clock: FakeClock
) -> None:
    store = staffed.accounts.store
    clerk_id = store.by_name(CLERK).id  # type: ignore[union-attr]
    assert store.password_hash(clerk_id).startswith("$argon2id$v=19$m=1024,t=1,p=1$")
    staffed.close()
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    s = open_services(data_dir, clock=clock, hasher=stronger)
    try:
        since = last_seq(s)
        s.accounts.sign_in(CLERK, CLERK_PW)
        rehashed = s.accounts.store.password_hash(clerk_id)
        assert rehashed.startswith("$argon2id$v=19$m=2048,t=2,p=1$")
        assert not stronger.check_needs_rehash(rehashed)
        update = json.loads(str(entries(s, since)[0]["changes"]))
        assert update == {"password_hash": None}  # changed; the hash itself is not copied
        s.accounts.sign_out()
        s.accounts.sign_in(CLERK, CLERK_PW)  # the new hash checks
        assert s.accounts.store.password_hash(clerk_id) == rehashed  # and is not redone
    finally:
        s.close()


def test_the_default_hasher_is_argon2id(data_dir: DataDir) -> None:
    s = open_services(data_dir, clock=FakeClock(NOW))
    try:
        s.accounts.setup_admin(ADMIN, ADMIN_PW)
        stored = s.accounts.store.password_hash(s.accounts.store.by_name(ADMIN).id)  # type: ignore[union-attr]
        assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    finally:
        s.close()
