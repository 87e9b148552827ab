"""A progress bar for long work inside a module operation (demo data, imports).

    bar = ProgressBar(env.transaction.progress, "crm: demo data", total=1300)
    bar.advance(300, "customers")   # "    crm: demo data [#####...............]  23% customers"
    bar.advance(1000, "leads")
    bar.finish()                    # "    crm: demo data [####################] 100% done (2.1 s)"

An install or upgrade (``core.modules.manager``) gives its transaction the
database's progress reporter (``Transaction.progress``), the one that
reports the install steps; a bar reports through it. The command line
prints the reports on stderr and draws a bar's again in place on a
terminal (its messages start with a carriage return, the last one ends
with a newline); the Apps page streams them with the steps. Outside a
module operation, the transaction's reporter says nothing.

A bar reports when its label changes and each time it fills another
twentieth, so a log file gets a few lines, not one per record.
"""

from __future__ import annotations

import time
from collections.abc import Callable

#: what a bar's messages start with: the command line draws them in place
REDRAW = "\r"
CELLS = 20


class ProgressBar:
    """Reports the progress of ``total`` units of work, labelled by step."""

    def __init__(self, report: Callable[[str], None], title: str, total: int):
        self.report = report
        self.title = title
        self.total = max(int(total), 1)
        self.done = 0
        self.label = ""
        self._shown: tuple[int, str] | None = None
        self._started = time.monotonic()

    def advance(self, amount: int = 1, label: str | None = None) -> None:
        """``amount`` more units done; ``label`` names the step now running."""
        self.done = min(self.done + max(int(amount), 0), self.total)
        if label is not None:
            self.label = label
        self._show()

    def step(self, label: str) -> None:
        """A new step starts (nothing done yet)."""
        self.advance(0, label)

    def finish(self, label: str = "done") -> None:
        """All done: the last report, which ends the bar's line."""
        seconds = time.monotonic() - self._started
        self.done = self.total
        self.label = f"{label} ({seconds:.1f} s)"
        self._shown = (CELLS, self.label)
        self.report(self.render() + "\n")

    def render(self) -> str:
        filled = CELLS * self.done // self.total
        percent = 100 * self.done // self.total
        return (f"{REDRAW}    {self.title} [{'#' * filled}{'.' * (CELLS - filled)}] "
                f"{percent:3d}% {self.label}").rstrip()

    def _show(self) -> None:
        state = (CELLS * self.done // self.total, self.label)
        if state != self._shown:
            self._shown = state
            self.report(self.render())
