"""`python -m tasks.supervise COMMAND...`: keep a command running, as `boardroom run` keeps its worker.

When the command exits by itself (a crash, the OOM killer, a kill -9), it is started again after a
pause that grows with quick successive failures (1 s, 2 s, 4 s… up to 30 s; back to 1 s once it has
run a minute), and the web beside it under honcho carries on. SIGTERM or SIGINT (honcho's Ctrl-C)
is passed on to the command, whose exit then ends this one: only then does honcho see it stop."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from types import FrameType

FIRST_PAUSE = 1.0
LONGEST_PAUSE = 30.0
STEADY = 60.0  # a run this long was healthy: the next failure starts the pauses over


class Supervisor:
    def __init__(self, command: Sequence[str]) -> None:
        self.command = list(command)
        self.child: subprocess.Popen[bytes] | None = None
        self.stopping: int | None = None  # the signal we were asked to stop with

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = signum
        if self.child is not None and self.child.poll() is None:
            self.child.send_signal(signum)

    def _say(self, text: str) -> None:
        print(f"supervisor: {text}", file=sys.stderr, flush=True)

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        pause = FIRST_PAUSE
        while True:
            began = time.monotonic()
            self.child = subprocess.Popen(self.command)
            code = self.child.wait()
            if self.stopping is not None:
                return 0 if code in (0, -self.stopping) else code
            if time.monotonic() - began > STEADY:
                pause = FIRST_PAUSE
            self._say(f"{self.command[-1]} exited with code {code}; starting it again in {pause:.0f} s")
            deadline = time.monotonic() + pause
            while self.stopping is None and time.monotonic() < deadline:
                time.sleep(0.1)
            if self.stopping is not None:
                return 0
            pause = min(LONGEST_PAUSE, pause * 2)


def main(argv: Sequence[str]) -> int:
    if not argv:
        print("usage: python -m tasks.supervise COMMAND [ARG...]", file=sys.stderr)
        return 2
    return Supervisor(argv).run()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
