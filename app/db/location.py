"""Where the data folder is (数据文件夹位置): a network share is refused, a folder a sync client
copies (OneDrive, 百度网盘 …) is warned about. Checked before anything in the folder is touched.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from typing import NamedTuple

DRIVE_REMOTE = 4  # GetDriveTypeW: a mapped network drive
NETWORK_FILESYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "sshfs", "fuse.sshfs", "afs", "ncpfs"}
    | {"afpfs", "webdav", "davfs", "fuse.davfs2", "fuse.rclone", "osxfuse", "macfuse"}
)
# A folder name (lower case) that betrays a sync client, and the service's name for the message.
CLOUD_FOLDERS: tuple[tuple[str, str], ...] = (
    ("onedrive", "OneDrive"),
    ("dropbox", "Dropbox"),
    ("icloud drive", "iCloud 云盘"),
    ("iclouddrive", "iCloud 云盘"),
    ("mobile documents", "iCloud 云盘"),
    ("google drive", "Google 云端硬盘"),
    ("googledrive", "Google 云端硬盘"),
    ("my drive", "Google 云端硬盘"),
    ("我的云端硬盘", "Google 云端硬盘"),
    ("百度网盘", "百度网盘"),
    ("baidunetdisk", "百度网盘"),
    ("baidusyncdisk", "百度网盘"),
    ("坚果云", "坚果云"),
    ("nutstore", "坚果云"),
    ("wps云盘", "WPS云盘"),
    ("wpsdrive", "WPS云盘"),
)


class Mount(NamedTuple):
    point: str
    fstype: str


@dataclass(frozen=True)
class LocationProbes:
    """What check_location asks the system; tests pass their own to cover other platforms."""

    windows: bool
    drive_type: Callable[[str], int]  # GetDriveTypeW("Z:\\")
    mounts: Callable[[], Sequence[Mount]]  # the mount table (POSIX)
    resolve: Callable[[str], str]  # symlinks and junctions followed


def system_probes() -> LocationProbes:
    return LocationProbes(
        windows=sys.platform == "win32",
        drive_type=_windows_drive_type,
        mounts=_system_mounts,
        resolve=os.path.realpath,
    )


@dataclass(frozen=True)
class LocationVerdict:
    refuse: bool = False
    warn: bool = False
    message: str = ""


def check_location(path: Path | str, probes: LocationProbes | None = None) -> LocationVerdict:
    """Refuse a folder on a network share; warn about one a sync client copies."""
    probes = probes or system_probes()
    shown = str(path)
    candidates = [shown]
    with contextlib.suppress(OSError, ValueError):
        resolved = probes.resolve(shown)
        if resolved != shown:
            candidates.append(resolved)
    for candidate in candidates:
        reason = _network_reason(candidate, probes)
        if reason:
            return LocationVerdict(refuse=True, message=_refusal(shown, reason))
    for candidate in candidates:
        service = _cloud_service(candidate)
        if service:
            return LocationVerdict(warn=True, message=_cloud_warning(shown, service))
    return LocationVerdict()


def _network_reason(text: str, probes: LocationProbes) -> str:
    slashed = text.replace("/", "\\")
    if slashed.lower().startswith("\\\\?\\unc\\"):
        return "网络共享文件夹（\\\\服务器\\共享）"
    if slashed.startswith(("\\\\?\\", "\\\\.\\")):
        slashed = slashed[4:]  # the long-path prefix before a drive letter
    elif slashed.startswith("\\\\"):
        return "网络共享文件夹（\\\\服务器\\共享）"
    if probes.windows:
        drive = PureWindowsPath(slashed).drive
        if len(drive) == 2 and probes.drive_type(drive + "\\") == DRIVE_REMOTE:
            return f"映射的网络驱动器 {drive.upper()}"
        return ""
    mount = _containing_mount(text, probes)
    if mount is not None and mount.fstype.lower() in NETWORK_FILESYSTEMS:
        return f"网络文件系统（{mount.fstype}，挂载于 {mount.point}）"
    return ""


def _containing_mount(text: str, probes: LocationProbes) -> Mount | None:
    """The longest mount point that contains the path."""
    if not text.startswith("/"):
        return None
    try:
        mounts = probes.mounts()
    except OSError:
        return None
    path = text.rstrip("/") + "/"
    inside = [m for m in mounts if path.startswith(m.point.rstrip("/") + "/")]
    return max(inside, key=lambda m: len(m.point.rstrip("/")), default=None)


def _cloud_service(text: str) -> str:
    for part in re.split(r"[\\/]", text.lower()):
        for marker, service in CLOUD_FOLDERS:
            if marker in part:
                return service
    return ""


def _refusal(path: str, reason: str) -> str:
    return (
        f"数据文件夹 {path} 在{reason}上，不能使用。"
        "SQLite 数据库在网络共享上加锁不可靠，两台电脑同时打开或网络中断都可能损坏数据文件。"
        "请选择这台电脑自己硬盘上的文件夹（例如 D:\\物业数据）存放数据；"
        "如需在 U 盘或网络上另存一份，请用“备份”功能备份到那里。"
    )


def _cloud_warning(path: str, service: str) -> str:
    return (
        f"数据文件夹 {path} 在 {service} 的同步文件夹中。"
        "同步程序可能在数据库写到一半时复制文件，得到的副本可能已损坏，"
        "同步冲突还可能用旧文件覆盖新数据。建议把数据文件夹换到不同步的本机文件夹；"
        "需要另存一份时，请用“备份”功能备份到 U 盘或网络上。"
    )


def parse_proc_mounts(text: str) -> list[Mount]:
    """Lines of /proc/mounts: `source point fstype options 0 0`, spaces escaped as \\040."""
    mounts = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[1])
            mounts.append(Mount(point, fields[2]))
    return mounts


def parse_mount_output(text: str) -> list[Mount]:
    """macOS `mount`: `//user@nas/share on /Volumes/share (smbfs, nodev, nosuid)`."""
    found = (re.match(r"^.+? on (.+) \(([^,)]+)", line) for line in text.splitlines())
    return [Mount(m.group(1), m.group(2).strip()) for m in found if m]


def _system_mounts() -> list[Mount]:
    if sys.platform.startswith("linux"):
        return parse_proc_mounts(Path("/proc/self/mounts").read_text(encoding="utf-8"))
    if sys.platform == "darwin":
        out = subprocess.run(["/sbin/mount"], capture_output=True, text=True, timeout=5)
        return parse_mount_output(out.stdout)
    return []


def _windows_drive_type(root: str) -> int:
    if sys.platform != "win32":
        return 0  # DRIVE_UNKNOWN
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(root))


class LocationRefusedError(RuntimeError):
    """The data folder is on a network share."""
