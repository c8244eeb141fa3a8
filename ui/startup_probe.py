"""`estate-office --startup-probe`: how long the window takes to show the complaint list.

The probe opens the data folder as a start does (guard and health check, services, the
signed-in user's main window), waits until the 投诉登记 list has painted its first rows, prints
``startup_ms=312.4`` and exits 0. A second line, ``sign_in_ms=150.2``, says how much of it was
signing in (checking the password while the window's modules load, ui/preload.py). The time
counts from when the program's own code began loading (``app.STARTED``). The user signs in
from ESTATE_OFFICE_USER and ESTATE_OFFICE_PASSWORD, without dialogs; missing or wrong, the
probe says so and exits 3.

``python -m ui.startup_probe --bare`` measures an empty PySide6 main window the same way (from
this module's first line to its first paint), so the benchmark can give start-up as a ratio.
"""

from __future__ import annotations

import time

LOADED = time.perf_counter()  # the bare probe's start: before PySide6 is imported

import os  # noqa: E402
import sys  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QWidget

    from app.paths import DataDir

USER_VARIABLE, PASSWORD_VARIABLE = "ESTATE_OFFICE_USER", "ESTATE_OFFICE_PASSWORD"
EXIT_OK, EXIT_FAILED, EXIT_REFUSED = 0, 1, 3
COMPLAINTS_TAB = "投诉登记"


def started_at() -> float:
    """The earlier of app.STARTED (when started through `app`) and this module's first line."""
    return min(float(getattr(sys.modules.get("app"), "STARTED", LOADED)), LOADED)


def report(started: float, painted: float) -> str:
    return f"startup_ms={(painted - started) * 1000:.1f}"


def wait_for_first_paint(app: QApplication, widget: QWidget, shown: QWidget) -> float:
    """Show `shown` and run the event loop until `widget` has painted; when it finished."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        at: float | None = None

        def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and self.at is None:
                QTimer.singleShot(0, self.finished)  # runs once the paint is done
            return False

        def finished(self) -> None:
            if self.at is None:
                self.at = time.perf_counter()
                app.exit(0)

    painted = FirstPaint()
    widget.installEventFilter(painted)
    shown.show()
    app.exec()
    widget.removeEventFilter(painted)
    assert painted.at is not None
    return painted.at


def bare() -> int:
    """An empty QMainWindow to its first paint: what any PySide6 window costs."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1360, 820)
    painted = wait_for_first_paint(app, window, window)  # type: ignore[arg-type]
    print(report(started_at(), painted), flush=True)
    window.close()
    return EXIT_OK


def full(data_dir: DataDir) -> int:
    """The signed-in main window on `data_dir` to the first paint of the complaint list."""
    name, password = os.environ.get(USER_VARIABLE), os.environ.get(PASSWORD_VARIABLE)
    if not name or not password:
        return _fail(
            f"请设置环境变量 {USER_VARIABLE} 和 {PASSWORD_VARIABLE}（登录用）", EXIT_REFUSED
        )
    from app.services import AlreadyRunningError, LocationRefusedError, open_guard

    data_dir.ensure()
    try:
        guard = open_guard(data_dir.root, data_dir.database, defer_quick_check=True)
    except (AlreadyRunningError, LocationRefusedError, OSError) as e:
        return _fail(str(e), EXIT_FAILED)
    try:
        return _probe_guarded(data_dir, guard.health, name, password)
    finally:
        guard.close()


def _probe_guarded(data_dir: DataDir, health: object, name: str, password: str) -> int:
    from datetime import datetime

    from app.services import SignInError, open_services
    from app.services.backups import recover_corrupt
    from ui.application import make_application, open_window
    from ui.preload import Preload

    app = make_application(sys.argv[:1])
    recovery = recover_corrupt(data_dir, datetime.now(), health=health)  # type: ignore[arg-type]
    if recovery.needs_attention:
        return _fail("\n".join(recovery.lines()), EXIT_FAILED)
    services = open_services(data_dir)
    try:
        preload = Preload().start()  # as the window's sign-in does
        signing_in = time.perf_counter()
        try:
            services.accounts.sign_in(name, password)
        except SignInError as e:
            return _fail(f"登录失败：{e}", EXIT_REFUSED)
        finally:
            preload.wait()
        signed_in = time.perf_counter()
        window = open_window(services, show=False)
        complaints = window.tab_widgets.get(COMPLAINTS_TAB)
        if complaints is None:
            return _fail("该用户看不到投诉登记", EXIT_REFUSED)
        painted = wait_for_first_paint(app, complaints.table.viewport(), window)  # type: ignore[attr-defined]
        print(report(started_at(), painted), flush=True)
        print(f"sign_in_ms={(signed_in - signing_in) * 1000:.1f}", flush=True)
        window.close()
        window.deleteLater()
        app.sendPostedEvents()
    finally:
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone()
        services.close()
    return EXIT_OK


def _fail(message: str, exit_code: int) -> int:
    print(message, file=sys.stderr)
    return exit_code


if __name__ == "__main__":
    if "--bare" in sys.argv[1:]:
        sys.exit(bare())
    from pathlib import Path

    from app.paths import DataDir

    folder = sys.argv[sys.argv.index("--data-dir") + 1] if "--data-dir" in sys.argv else None
    sys.exit(full(DataDir(Path(folder) if folder else None)))
