"""subprocess.Popen under a run.

A Popen is a live process, no value, and how it ends is known only when
the program asks: ``communicate()``, ``wait()``, a ``poll()`` that returns
a code, leaving a ``with`` block.  So a live call hands the program a
RecordingPopen around the real one, which keeps what the program read from
its pipes, and commits the process's record (pid, return code, everything
its stdout and stderr gave, how many times the program asked before it had
ended) at the first of those calls that sees it end, before the program
gets the answer.  Until then the call is in flight: a run that exits with
the process still running journals it abandoned, and a crash before that
runs it again on resume.

A replay hands the program a ReplayedPopen that gives the recorded output
through the same calls, answers "still running" as many times as the
program asked before (so that a polling loop takes the same turns), and
starts nothing; ``stdin`` writes, ``kill()``, ``terminate()`` and
``send_signal()`` do nothing.  The row counts as replayed (output stays
muted until then) when the program sees the process end, as live.
"""

from __future__ import annotations

import io
import subprocess
from typing import Any, Callable, Dict, Optional


class _Tap:
    """A pipe of a live process, keeping what the program reads from it.

    After the process has ended the rest of the pipe is read at once
    (drain), so that what the program reads later is in the record too."""

    def __init__(self, f: Any) -> None:
        self._f = f
        self._rest: Optional[io.IOBase] = None
        self.seen: list = []

    def _src(self) -> Any:
        return self._f if self._rest is None else self._rest

    def _keep(self, data: Any) -> Any:
        if data:
            self.seen.append(data)
        return data

    def read(self, *args: Any) -> Any:
        return self._keep(self._src().read(*args))

    def read1(self, *args: Any) -> Any:
        src = self._src()
        return self._keep(src.read1(*args) if hasattr(src, "read1") else src.read(*args))

    def readline(self, *args: Any) -> Any:
        return self._keep(self._src().readline(*args))

    def readlines(self, *args: Any) -> list:
        lines = self._src().readlines(*args)
        self.seen.extend(lines)
        return lines

    def __iter__(self) -> "_Tap":
        return self

    def __next__(self) -> Any:
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def drain(self) -> Any:
        """Reads the rest of the pipe into memory (the process has ended)
        and returns it, for the record."""
        if self._rest is not None or self._f.closed:
            return None
        rest = self._f.read()
        self._rest = io.StringIO(rest) if isinstance(rest, str) else io.BytesIO(rest or b"")
        return rest

    def close(self) -> None:
        self._f.close()

    @property
    def closed(self) -> bool:
        return self._f.closed

    def __enter__(self) -> "_Tap":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._f, name)


def _piped(tap: Optional[_Tap], tail: Any) -> Any:
    """All a pipe gave the program (what it read, then tail: the rest that
    communicate() read), or None when it was not piped."""
    if tap is None:
        return None
    items = tap.seen + ([tail] if tail else [])
    text = isinstance(tap._f, io.TextIOBase)
    return ("" if text else b"").join(items)


class RecordingPopen:
    """A live Popen whose end is committed when the program first sees it."""

    def __init__(self, real: subprocess.Popen,
                 commit: Callable[[Dict[str, Any]], None]) -> None:
        self._real = real
        self._commit = commit
        self._asked = 0  # answers "not ended yet" given so far
        self._done = False
        self.stdin = real.stdin
        self.stdout = _Tap(real.stdout) if real.stdout is not None else None
        self.stderr = _Tap(real.stderr) if real.stderr is not None else None
        self.pid = real.pid
        self.args = real.args

    @property
    def returncode(self) -> Optional[int]:
        return self._real.returncode

    def _end(self, tails: Optional[tuple] = None) -> None:
        """Commits the record.  tails: what communicate() read of each
        pipe; without it the pipes are drained (the program reads the rest
        from memory), which is what they add to the record."""
        if self._done:
            return
        self._done = True
        if tails is None:
            tails = tuple(tap.drain() if tap is not None else None
                          for tap in (self.stdout, self.stderr))
        out, err = tails
        self._commit({
            "pid": self.pid, "returncode": self._real.returncode,
            "stdout": _piped(self.stdout, out), "stderr": _piped(self.stderr, err),
            "stdin": self.stdin is not None, "asked": self._asked,
        })

    def poll(self) -> Optional[int]:
        code = self._real.poll()
        if code is None:
            self._asked += 1
        else:
            self._end()
        return code

    def wait(self, timeout: Optional[float] = None) -> int:
        try:
            code = self._real.wait(timeout)
        except subprocess.TimeoutExpired:
            self._asked += 1
            raise
        self._end()
        return code

    def communicate(self, input: Any = None,
                    timeout: Optional[float] = None) -> tuple:
        try:
            out, err = self._real.communicate(input, timeout)
        except subprocess.TimeoutExpired:
            self._asked += 1
            raise
        self._end((out, err))
        return out, err

    def __enter__(self) -> "RecordingPopen":
        return self

    def __exit__(self, *exc: Any) -> None:
        # as Popen's: close the pipes, then wait
        for f in (self.stdout, self.stderr):
            if f is not None:
                f.close()
        if self.stdin is not None:
            try:
                self.stdin.close()
            except BrokenPipeError:
                pass
        self.wait()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


class ReplayedPopen:
    """A recorded process as the program meets it again (nothing runs)."""

    def __init__(self, record: Optional[Dict[str, Any]],
                 args: Any, seen: Callable[[], None]) -> None:
        self._record = record
        self._seen = seen
        self._asked = 0
        self.args = args
        self.returncode: Optional[int] = None
        r = record or {}
        self.pid = r.get("pid")
        self.stdin = _Sink() if r.get("stdin") else None
        self.stdout = _buffer(r.get("stdout"))
        self.stderr = _buffer(r.get("stderr"))

    def _ended(self) -> bool:
        """Whether the process is seen ended at this ask (as live)."""
        if self._record is None:
            return False  # left running when the run exited
        if self._asked < self._record["asked"]:
            self._asked += 1
            return False
        if self.returncode is None:
            self.returncode = self._record["returncode"]
            self._seen()
        return True

    def poll(self) -> Optional[int]:
        return self.returncode if self._ended() else None

    def wait(self, timeout: Optional[float] = None) -> int:
        if not self._ended():
            raise subprocess.TimeoutExpired(self.args, timeout or 0)
        return self.returncode  # type: ignore[return-value]

    def communicate(self, input: Any = None,
                    timeout: Optional[float] = None) -> tuple:
        if not self._ended():
            raise subprocess.TimeoutExpired(self.args, timeout or 0)
        return (self.stdout.read() if self.stdout is not None else None,
                self.stderr.read() if self.stderr is not None else None)

    def kill(self) -> None:
        pass

    def terminate(self) -> None:
        pass

    def send_signal(self, sig: int) -> None:
        pass

    def __enter__(self) -> "ReplayedPopen":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.wait()


class _Sink:
    """A replayed process's stdin: what is written goes nowhere."""

    closed = False

    def write(self, data: Any) -> int:
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True


def _buffer(data: Any) -> Any:
    if data is None:
        return None
    return io.StringIO(data) if isinstance(data, str) else io.BytesIO(data)
