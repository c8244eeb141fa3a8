"""The data folder's guard: one copy per folder, no network shares, a harder look after a crash."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from app.db import audit
from app.db.guard import (
    AlreadyRunningError,
    CleanShutdownMarker,
    InstanceLock,
    LocationProbes,
    LocationRefusedError,
    LockHolder,
    Mount,
    check_location,
    open_guard,
    parse_mount_output,
    parse_proc_mounts,
    startup_check,
)
from app.paths import DataDir
from app.services import open_services

ROOT = Path(__file__).resolve().parents[2]
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX flock and SIGKILL")

# ----------------------------------------------------------------------------- the lock


def test_a_second_lock_on_the_folder_is_refused_naming_the_holder(tmp_path: Path) -> None:
    with InstanceLock(tmp_path) as first:
        assert first.held
        with pytest.raises(AlreadyRunningError) as e:
            InstanceLock(tmp_path).acquire()
    message = str(e.value)
    assert message.startswith(f"本程序已在运行（进程 {os.getpid()}，电脑 {socket.gethostname()}")
    assert "同一数据文件夹不能同时打开两份" in message
    assert e.value.holder is not None and e.value.holder.pid == os.getpid()
    InstanceLock(tmp_path).acquire()  # released on leaving the block


def test_the_message_names_pid_computer_and_start_time() -> None:
    holder = LockHolder(1234, "OFFICE-PC", "", datetime(2026, 11, 22, 9, 30))
    message = str(AlreadyRunningError(Path("estate.lock"), holder))
    assert message.startswith(
        "本程序已在运行（进程 1234，电脑 OFFICE-PC，2026-11-22 09:30 启动），"
        "同一数据文件夹不能同时打开两份"
    )
    assert LockHolder.from_text(holder.to_text()) == holder
    with_user = LockHolder(7, "前台电脑", "clerk", None).describe()
    assert with_user == "进程 7，电脑 前台电脑，用户 clerk"


def test_an_unreadable_holder_still_gives_a_clear_message() -> None:
    assert LockHolder.from_text("") is None
    assert LockHolder.from_text("not json") is None
    message = str(AlreadyRunningError(Path("estate.lock"), None))
    assert message.startswith("本程序已在运行，同一数据文件夹不能同时打开两份")


def test_a_stale_lock_file_from_a_crash_does_not_block(tmp_path: Path) -> None:
    stale = LockHolder(999999, "OLD-PC", "", datetime(2020, 1, 1, 8, 0))
    (tmp_path / "estate.lock").write_text(stale.to_text(), encoding="utf-8")
    lock = InstanceLock(tmp_path)
    lock.acquire()
    holder = LockHolder.from_text((tmp_path / "estate.lock").read_text(encoding="utf-8"))
    assert holder is not None and holder.pid == os.getpid()
    lock.release()
    assert (tmp_path / "estate.lock").exists()  # kept, emptied: never deleted under a holder
    assert (tmp_path / "estate.lock").read_text(encoding="utf-8") == ""
    lock.release()  # twice is harmless


HOLD = """
import sys
from pathlib import Path
from app.db.guard import InstanceLock
InstanceLock(Path(sys.argv[1])).acquire()
print("held", flush=True)
sys.stdin.read()
"""


@posix_only
def test_another_process_holding_the_lock_blocks_until_it_is_killed(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(AlreadyRunningError) as e:
            InstanceLock(tmp_path).acquire()
        assert f"进程 {holder.pid}，电脑 {socket.gethostname()}" in str(e.value)
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=10)
    finally:
        if holder.poll() is None:
            holder.kill()
        holder.wait()
        for stream in (holder.stdin, holder.stdout):
            if stream is not None:
                stream.close()
    # The killed holder's text is still in the file; the OS lock died with it.
    assert str(holder.pid) in (tmp_path / "estate.lock").read_text(encoding="utf-8")
    with InstanceLock(tmp_path) as lock:
        assert lock.held


# ----------------------------------------------------------------------------- the location

MOUNTS = "\n".join(
    [
        "/dev/sda1 / ext4 rw,relatime 0 0",
        "nas:/export/estate /mnt/nas nfs4 rw,relatime,vers=4.2 0 0",
        "//fileserver/office /mnt/office cifs rw,relatime 0 0",
        "/dev/sdb1 /mnt/nas/local ext4 rw 0 0",
        "clerk@host:/data /home/clerk/remote fuse.sshfs rw,nosuid 0 0",
        "/dev/sdc1 /media/clerk/U\\040DISK vfat rw 0 0",
    ]
)


def probes(*, windows: bool, remote: str = "", resolved: str | None = None) -> LocationProbes:
    return LocationProbes(
        windows=windows,
        drive_type=lambda root: 4 if root.upper() == remote.upper() else 3,
        mounts=lambda: parse_proc_mounts(MOUNTS),
        resolve=lambda p: resolved if resolved is not None else p,
    )


WINDOWS = probes(windows=True, remote="Z:\\")
LINUX = probes(windows=False)

REFUSED, WARNED, FINE = "refuse", "warn", "ok"
CASES = [
    (r"\\server\share\物业数据", WINDOWS, REFUSED, "\\\\服务器\\共享"),
    (r"\\192.168.1.10\estate", LINUX, REFUSED, "网络共享"),
    ("//server/share/estate", LINUX, REFUSED, "网络共享"),
    ("//server/share/estate", WINDOWS, REFUSED, "网络共享"),
    (r"\\?\UNC\server\share\estate", WINDOWS, REFUSED, "网络共享"),
    (r"Z:\物业数据", WINDOWS, REFUSED, "映射的网络驱动器 Z:"),
    (r"z:\data", WINDOWS, REFUSED, "映射的网络驱动器 Z:"),
    (r"\\?\Z:\data", WINDOWS, REFUSED, "映射的网络驱动器 Z:"),
    (r"D:\物业数据", WINDOWS, FINE, ""),
    (r"\\?\C:\物业数据", WINDOWS, FINE, ""),
    ("/mnt/nas/estate", LINUX, REFUSED, "nfs4，挂载于 /mnt/nas"),
    ("/mnt/nas", LINUX, REFUSED, "nfs4"),
    ("/mnt/office/data", LINUX, REFUSED, "cifs"),
    ("/home/clerk/remote/x", LINUX, REFUSED, "fuse.sshfs"),
    ("/mnt/nas/local/estate", LINUX, FINE, ""),  # the longest mount point decides: a local disk
    ("/mnt/nasty/estate", LINUX, FINE, ""),  # a prefix of the name is not a folder inside
    ("/media/clerk/U DISK/estate", LINUX, FINE, ""),
    ("/home/clerk/.local/share/EstateOffice", LINUX, FINE, ""),
    (r"C:\Users\clerk\OneDrive\物业数据", WINDOWS, WARNED, "OneDrive"),
    (r"C:\Users\clerk\OneDrive - 某某物业\data", WINDOWS, WARNED, "OneDrive"),
    ("/home/clerk/百度网盘/estate", LINUX, WARNED, "百度网盘"),
    (r"D:\BaiduNetdiskWorkspace\estate", WINDOWS, WARNED, "百度网盘"),
    (r"D:\我的坚果云\estate", WINDOWS, WARNED, "坚果云"),
    (r"E:\WPS云盘\estate", WINDOWS, WARNED, "WPS云盘"),
    ("/home/clerk/Dropbox/estate", LINUX, WARNED, "Dropbox"),
    ("/Users/a/Library/Mobile Documents/com~apple~CloudDocs/x", LINUX, WARNED, "iCloud"),
    (r"C:\Users\clerk\iCloudDrive\x", WINDOWS, WARNED, "iCloud"),
    (r"G:\My Drive\物业数据", WINDOWS, WARNED, "Google"),
    (r"C:\Users\clerk\Google Drive\x", WINDOWS, WARNED, "Google"),
    (r"\\server\OneDrive\estate", WINDOWS, REFUSED, "网络共享"),  # refusal outranks the warning
]


@pytest.mark.parametrize(("path", "probe", "verdict", "named"), CASES)
def test_check_location(path: str, probe: LocationProbes, verdict: str, named: str) -> None:
    result = check_location(path, probe)
    assert (result.refuse, result.warn) == (verdict == REFUSED, verdict == WARNED)
    assert named in result.message
    if verdict == REFUSED:
        assert "网络共享上加锁不可靠" in result.message  # why
        assert "这台电脑自己硬盘上的文件夹" in result.message  # what to do
        assert "“备份”功能" in result.message
    elif verdict == WARNED:
        assert "写到一半时复制文件" in result.message
        assert "“备份”功能" in result.message
    else:
        assert result.message == ""


def test_a_local_link_into_a_network_mount_is_refused() -> None:
    probe = probes(windows=False, resolved="/mnt/nas/estate")
    result = check_location("/home/clerk/estate", probe)
    assert result.refuse and "/home/clerk/estate" in result.message


def test_an_unreadable_mount_table_does_not_stop_the_app() -> None:
    def broken() -> list[Mount]:
        raise OSError("no /proc")

    probe = LocationProbes(windows=False, drive_type=lambda _: 3, mounts=broken, resolve=str)
    assert not check_location("/srv/estate", probe).refuse


def test_macos_mount_output_is_read() -> None:
    mounts = parse_mount_output(
        "/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)\n"
        "//clerk@nas/estate on /Volumes/estate (smbfs, nodev, nosuid, mounted by clerk)\n"
        "nas:/export on /private/nfs (nfs)\n"
    )
    assert mounts == [
        Mount("/", "apfs"),
        Mount("/Volumes/estate", "smbfs"),
        Mount("/private/nfs", "nfs"),
    ]


def test_this_machines_temporary_folder_is_fine(tmp_path: Path) -> None:
    assert not check_location(tmp_path).refuse


# ----------------------------------------------------------------------------- start-up health


def test_the_marker_is_written_and_removed(tmp_path: Path) -> None:
    marker = CleanShutdownMarker(tmp_path)
    assert not marker.exists()
    marker.write()
    assert marker.exists() and f"pid={os.getpid()}" in marker.path.read_text(encoding="utf-8")
    marker.remove()
    assert not marker.exists()
    marker.remove()


def make_database(data_dir: DataDir) -> Path:
    open_services(data_dir).close()
    return data_dir.database


def test_a_clean_start_runs_the_quick_check_only(data_dir: DataDir) -> None:
    report = startup_check(make_database(data_dir))
    assert report.ok and not report.unclean and not report.full_check
    assert report.lines == ("数据文件检查正常。",)


def test_no_database_yet_is_fine_and_nothing_is_created(tmp_path: Path) -> None:
    report = startup_check(tmp_path / "estate.db")
    assert report.ok and not report.full_check
    assert not (tmp_path / "estate.db").exists()


def hide_rows_from_index(path: Path) -> None:
    """Change rows behind an index's back: quick_check misses it, integrity_check does not."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE t (a)")
    conn.execute("CREATE INDEX t_a ON t (a)")
    conn.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(50)])
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 't_a'").fetchone()[0]
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET type = 'table', name = 'hidden', tbl_name = 'hidden', "
        "sql = 'CREATE TABLE hidden (a, b)' WHERE name = 't_a'"
    )
    conn.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE t SET a = a + 1000 WHERE rowid <= 2")
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET type = 'index', name = 't_a', tbl_name = 't', sql = ? "
        "WHERE name = 'hidden'",
        (sql,),
    )
    conn.close()


def test_after_an_unclean_exit_the_full_check_runs(tmp_path: Path) -> None:
    database = tmp_path / "estate.db"
    hide_rows_from_index(database)
    assert startup_check(database).ok  # quick_check does not compare indexes with tables
    CleanShutdownMarker(tmp_path).write()
    report = startup_check(database)
    assert report.unclean and report.full_check and not report.ok
    assert report.lines[0].startswith("上次程序没有正常关闭")
    assert "数据文件检查发现 2 处损坏" in report.lines[1]
    assert report.problems == (
        "integrity_check: row 1 missing from index t_a",
        "integrity_check: row 2 missing from index t_a",
    )


def test_after_an_unclean_exit_dangling_references_are_found(data_dir: DataDir) -> None:
    database = make_database(data_dir)
    conn = sqlite3.connect(database, isolation_level=None)  # foreign keys off, as a bug might
    audit.register_functions(conn)
    conn.execute(
        "INSERT INTO complaint_past_visits (complaint_id, visited_at, visitor, method, opinion) "
        "VALUES (999, '2026-11-20 10:00', '周敏', '电话', '满意')"
    )
    conn.close()
    assert startup_check(database).ok
    CleanShutdownMarker(data_dir.root).write()
    report = startup_check(database)
    assert not report.ok and report.full_check
    assert report.lines[-1] == "有 1 条记录引用的记录已不存在。"
    assert report.problems[0].startswith("foreign_key_check: complaint_past_visits rowid")


def test_an_unclean_exit_on_a_sound_file_is_ok(data_dir: DataDir) -> None:
    database = make_database(data_dir)
    CleanShutdownMarker(data_dir.root).write()
    report = startup_check(database)
    assert report.ok and report.unclean and report.full_check
    assert report.lines[-1] == "数据文件检查正常。"


def test_a_file_that_is_not_a_database_is_reported(tmp_path: Path) -> None:
    database = tmp_path / "estate.db"
    database.write_bytes(b"this is not a database, it is a spreadsheet" * 100)
    report = startup_check(database)
    assert not report.ok and "数据文件已损坏" in report.lines[-1]


# ----------------------------------------------------------------------------- all together


def test_open_guard_takes_the_folder_and_close_gives_it_back(data_dir: DataDir) -> None:
    root = data_dir.root
    guard = open_guard(root, data_dir.database)
    assert guard.lock.held and guard.marker.exists() and guard.health.ok
    assert not guard.location.refuse
    with pytest.raises(AlreadyRunningError):
        open_guard(root, data_dir.database)
    assert guard.marker.exists()  # the refused second copy left the first one's marker alone
    open_services(data_dir).close()
    guard.close()
    assert not guard.marker.exists() and not guard.lock.held
    again = open_guard(root, data_dir.database)
    assert not again.health.unclean and not again.health.full_check
    again.abandon()  # as after a crash: the marker stays
    after_crash = open_guard(root, data_dir.database)
    assert after_crash.health.unclean and after_crash.health.full_check and after_crash.health.ok
    after_crash.close()


def test_open_guard_refuses_a_network_folder_before_touching_it(tmp_path: Path) -> None:
    folder = tmp_path / "share"
    probe = probes(windows=False, resolved="/mnt/office/estate")
    with pytest.raises(LocationRefusedError) as e:
        open_guard(folder, folder / "estate.db", probe)
    assert "cifs" in str(e.value)
    assert not folder.exists()
