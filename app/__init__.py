"""The estate office's core: domain rules, storage, services and the command line."""

import time

STARTED = time.perf_counter()
"""When the program's own code began loading (`estate-office --startup-probe` counts from here)."""
