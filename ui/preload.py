"""Loading the window's modules on a worker thread while the user signs in.

Checking a password (argon2) takes 0.1–0.4 s of CPU without holding Python's lock, and before
that the sign-in dialog waits for the user. Meanwhile a worker thread imports what the window
needs after sign-in: the register services (app.services.LATER_MODULES), the main window and
its first tab. Importing only defines functions and classes, which any thread may do; nothing
here touches the database or makes a widget.

`Preload().start()` before signing in, `wait()` before building the window. A module that
fails to load here is logged and fails again, with its real error, where the window needs it.
"""

from __future__ import annotations

import importlib
import logging
import threading

from app.services import LATER_MODULES

log = logging.getLogger(__name__)

WINDOW_MODULES = (*LATER_MODULES, "ui.main_window", "ui.tabs.complaints")


class Preload:
    def __init__(self, modules: tuple[str, ...] = WINDOW_MODULES) -> None:
        self.modules = modules
        self._thread = threading.Thread(target=self._load, name="preload", daemon=True)

    def start(self) -> Preload:
        self._thread.start()
        return self

    def wait(self) -> None:
        """Until every module is loaded (or has failed)."""
        self._thread.join()

    def _load(self) -> None:
        for name in self.modules:
            try:
                importlib.import_module(name)
            except Exception:
                log.exception("preloading %s failed", name)
                return
