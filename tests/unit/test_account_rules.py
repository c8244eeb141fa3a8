"""Account rules without I/O: the lockout delay and the user name and password rules."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.domain.accounts import (
    FREE_ATTEMPTS,
    LONGEST_LOCK,
    MAX_NAME,
    MAX_PASSWORD,
    MIN_PASSWORD,
    lock_delay,
    locked_until,
    name_problem,
    normalize_name,
    password_problem,
)

MIN = timedelta(minutes=1)
AT = datetime(2026, 11, 20, 10, 0)


@pytest.mark.parametrize(
    ("failures", "delay"),
    [
        (-1, None),
        (0, None),
        (1, None),
        (FREE_ATTEMPTS, None),  # 4 wrong passwords cost nothing
        (5, 1 * MIN),
        (6, 2 * MIN),
        (7, 4 * MIN),
        (8, 8 * MIN),
        (14, 512 * MIN),
        (15, 1024 * MIN),  # 17 h 4 min
        (16, LONGEST_LOCK),  # 2048 min would pass the cap
        (24, LONGEST_LOCK),  # 19 doublings, computed
        (25, LONGEST_LOCK),  # 20: the short cut
        (1000, LONGEST_LOCK),
        (10**18, LONGEST_LOCK),
    ],
)
def test_lock_delay(failures: int, delay: timedelta | None) -> None:
    assert lock_delay(failures) == delay


def test_each_lock_is_twice_the_last_until_the_cap() -> None:
    delays = [lock_delay(n) for n in range(FREE_ATTEMPTS + 1, 40)]
    assert all(d is not None and MIN <= d <= LONGEST_LOCK for d in delays)
    for before, after in zip(delays, delays[1:], strict=False):
        assert after == min(2 * before, LONGEST_LOCK)  # type: ignore[operator]


@pytest.mark.parametrize(
    ("failures", "failed_at", "until"),
    [
        (4, AT, None),
        (5, AT, datetime(2026, 11, 20, 10, 1)),
        (7, AT, datetime(2026, 11, 20, 10, 4)),
        (16, AT, datetime(2026, 11, 21, 10, 0)),  # the next day
        (5, datetime(2026, 12, 31, 23, 59), datetime(2027, 1, 1, 0, 0)),  # into the new year
        # stored and shown to the minute: rounded up, so a lock never lasts less than its delay
        (5, datetime(2026, 11, 20, 10, 0, 59), datetime(2026, 11, 20, 10, 2)),
        (5, datetime(2026, 11, 20, 10, 0, 0, 1), datetime(2026, 11, 20, 10, 2)),
    ],
)
def test_locked_until(failures: int, failed_at: datetime, until: datetime | None) -> None:
    assert locked_until(failures, failed_at) == until
    if until is not None:
        assert until - failed_at >= lock_delay(failures)  # type: ignore[operator]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("王小明", None),
        ("wang.xm", None),
        ("前台-1号", None),
        ("阿卜杜·热合曼", None),
        ("王" * MAX_NAME, None),
        ("  李四  ", None),  # trimmed
        ("", "请填写用户名"),
        ("   ", "请填写用户名"),
        ("\u3000", "请填写用户名"),  # a full-width space only
        ("王" * (MAX_NAME + 1), f"用户名最多 {MAX_NAME} 个字"),
        ("张 三", "用户名不能含空格、逗号或控制字符"),
        ("张\u3000三", "用户名不能含空格、逗号或控制字符"),  # full-width space inside
        ("张\t三", "用户名不能含空格、逗号或控制字符"),
        ("李四,王五", "用户名不能含空格、逗号或控制字符"),
        ("李四，王五", "用户名不能含空格、逗号或控制字符"),  # full-width: a comma all the same
        ("admin\x00", "用户名不能含空格、逗号或控制字符"),
        ("ad\x1bmin", "用户名不能含空格、逗号或控制字符"),
        ("ad\x7fmin", "用户名不能含空格、逗号或控制字符"),
        ("ad\u200bmin", "用户名不能含空格、逗号或控制字符"),  # zero-width: looks like admin
        ("admin\u202e", "用户名不能含空格、逗号或控制字符"),  # right-to-left override
        ("\ufeffadmin", "用户名不能含空格、逗号或控制字符"),  # byte-order mark
        ("ad\ue000min", "用户名不能含空格、逗号或控制字符"),  # private use
        ("ad\udcffmin", "用户名不能含空格、逗号或控制字符"),  # not valid text
    ],
)
def test_name_rules(name: str, message: str | None) -> None:
    problem = name_problem(name)
    assert (problem and problem.message) == message
    assert problem is None or problem.field == "name"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ｗａｎｇ", "wang"),  # the input method in full-width mode
        ("Ｗａｎｇ０１", "Wang01"),
        ("\u3000王小明\u3000", "王小明"),
        ("王小明", "王小明"),
        ("ｗａｎｇ．ｘｍ", "wang.xm"),
    ],
)
def test_names_are_stored_half_width_and_trimmed(typed: str, stored: str) -> None:
    assert normalize_name(typed) == stored
    assert name_problem(typed) is None


@pytest.mark.parametrize(
    ("password", "name", "message"),
    [
        ("abc12345", "", None),
        ("a" * 6 + "bc", "", None),  # three different characters are enough
        ("x" * (MAX_PASSWORD - 2) + "yz", "", None),
        ("我的密码很安全啊", "", None),  # 8 Chinese characters
        ("ａｂｃｄｅｆｇｈ", "", None),  # full-width is kept as typed (not made half-width)
        ("  ab cd  ", "", None),  # spaces count and are kept
        ("😀😃😄😁😆😅🤣😂", "", None),
        ("👨\u200d👩\u200d👧abcde", "", None),  # joiners inside an emoji
        ("", "", f"密码至少 {MIN_PASSWORD} 位"),
        ("abc1234", "", f"密码至少 {MIN_PASSWORD} 位"),
        ("x" * (MAX_PASSWORD - 1) + "yz", "", f"密码最多 {MAX_PASSWORD} 位"),
        ("abc\t12345", "", "密码不能含控制字符"),
        ("abc\n12345", "", "密码不能含控制字符"),
        ("abc\x0012345", "", "密码不能含控制字符"),
        ("abc\udcff12345", "", "密码不能含控制字符"),  # cannot be hashed
        ("aaaaaaaa", "", "密码太简单：至少要有 3 个不同的字符"),
        ("abababab", "", "密码太简单：至少要有 3 个不同的字符"),
        ("wangxm01", "wangxm01", "密码不能与用户名相同"),
        ("WangXM01", "wangxm01", "密码不能与用户名相同"),
        ("wangxm01", "ｗａｎｇｘｍ０１", "密码不能与用户名相同"),  # as the name is stored
        ("wangxm01", "wangxm02", None),
    ],
)
def test_password_rules(password: str, name: str, message: str | None) -> None:
    problem = password_problem(password, name)
    assert (problem and problem.message) == message
    assert problem is None or problem.field == "password"
