"""Refresh workers forked from a copy of this process made before it opened the database.

A worker started as a new interpreter spends about 0.4 s of CPU importing what this process
has already imported (aiohttp alone is a third of it), and that much of a large refresh
passes before it takes any work. A fork has it all at once. But an SQLite connection must
not be carried across a fork (the child would share its locks without SQLite knowing), and
a process with other threads cannot be forked safely (a lock one of them held stays held in
the child). So `forking` makes the copy, the zygote, while this process has imported the
refresh but opened no database, started no thread and runs no event loop; the zygote forks
each worker when the refresh asks, and each worker opens its own connection.

Where the zygote cannot be made (not Linux, threads running, as in the reader), workers
start as new interpreters, as they always may.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import select
import signal
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from typing import NoReturn

# What a forked worker runs: the refresh's worker loop over its socket (`worker`).
Serve = Callable[[socket.socket], NoReturn]
# What the zygote loads before it forks any worker (see `Zygote.start`).
Preload = Callable[[], object]
# The zygote's answer when it could not fork: no pid, no socket.
_FAILED = b"!"
_PID_BYTES = 4


class Zygote:
    """This process's side of the zygote: asked over a socket, it forks a worker and hands
    back the worker's pid and this side of a new socket pair to talk to it over."""

    def __init__(self, pid: int, control: socket.socket) -> None:
        self._pid = pid
        self._control = control

    @classmethod
    def start(cls, serve: Serve, preload: Preload = lambda: None,
              ahead: int = 0) -> Zygote | None:
        """The zygote, whose workers each run `serve` on their socket, or None where one
        cannot be made safely (see the module's text). It calls `preload` first: what every
        worker needs and this process has not loaded is then loaded once, not in each.

        It forks `ahead` workers at once, which wait for their first message: a fork takes
        the zygote a few milliseconds, which the refresh, asking for its workers as it
        starts, spent waiting with a core idle."""
        # On one core no refresh has workers, so no zygote is worth making.
        if sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2 \
                or threading.active_count() > 1 or _loop_running():
            return None
        try:
            ours, theirs = socket.socketpair()
        except OSError:
            return None
        try:
            pid = os.fork()
        except OSError:
            ours.close()
            theirs.close()
            return None
        if pid == 0:  # pragma: no cover - the zygote's own life, seen through its workers
            ours.close()
            _serve(theirs, serve, preload, ahead)
        theirs.close()
        return cls(pid, ours)

    def fork_worker(self) -> tuple[Forked, socket.socket]:
        """A new worker and the socket to it; OSError if none could be made."""
        self._control.sendall(b"f")
        message, fds, _, _ = socket.recv_fds(self._control, _PID_BYTES, 1)
        if len(message) != _PID_BYTES or len(fds) != 1:
            for fd in fds:
                os.close(fd)
            raise OSError("the refresh could not fork a worker")
        channel = socket.socket(fileno=fds[0])
        try:
            return Forked(int.from_bytes(message, "big")), channel
        except OSError:
            channel.close()  # the worker sees the end of its socket and exits
            raise

    def close(self) -> None:
        """End the zygote (it exits when its socket closes) and reap it."""
        self._control.close()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self._pid, 0)


class Forked:
    """A forked worker, known by a pidfd: it is the zygote's child, not ours, so its pid
    alone could name another process once it has ended and been reaped."""

    def __init__(self, pid: int) -> None:
        self._pidfd = os.pidfd_open(pid)  # OSError on kernels before 5.3

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)

    def wait(self) -> None:
        """Until it has ended (the zygote reaps it); then the pidfd is let go. Polled, not
        selected: in a process with many connections its number may be past select's limit."""
        ended = select.poll()
        ended.register(self._pidfd, select.POLLIN)
        ended.poll()
        os.close(self._pidfd)


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


_current: Zygote | None = None


def current() -> Zygote | None:
    """The zygote `forking` made for this process's refreshes, if any."""
    return _current


@contextlib.contextmanager
def forking(serve: Serve, preload: Preload = lambda: None, ahead: int = 0) -> Iterator[None]:
    """Let the refreshes inside fork their workers, each running `serve`: entered before
    the database is opened and the event loop started (as `tui-reader refresh` does).
    `ahead` workers are forked before any is asked for (see `Zygote.start`)."""
    global _current
    if _current is not None:
        yield
        return
    # What this process made so far (modules, above all) lives as long as it does: set aside
    # from the collector, it is not walked again by every full collection, here or in the
    # forked copies, where walking it would also copy every page it lies on.
    gc.freeze()
    _current = Zygote.start(serve, preload, ahead)
    try:
        yield
    finally:
        zygote, _current = _current, None
        if zygote is not None:
            zygote.close()


def _serve(control: socket.socket, serve: Serve, preload: Preload,
           ahead: int) -> NoReturn:  # pragma: no cover - zygote
    """The zygote: a worker handed over for each byte asked, until the socket closes."""
    try:
        # A session of its own, as a worker started as an interpreter has: Ctrl-C at the
        # terminal reaches only the refresh, which decides what becomes of its workers.
        os.setsid()
        _quiet()
        # Loaded once here, each worker has it at its fork; set aside like the rest.
        preload()
        gc.freeze()
        spare: list[tuple[int, socket.socket]] = []
        for _ in range(ahead):
            if (worker := _fork_one(serve, control, spare)) is not None:
                spare.insert(0, worker)  # handed over in the order forked
        while control.recv(1):
            _reap()
            _hand_over(control, spare.pop() if spare else _fork_one(serve, control, spare))
        # Those never asked for end as their socket closes; each is waited for, as the
        # refresh has waited for each worker it had (`Forked.wait`): reaped here, not left
        # to be reaped unseen, their CPU time counts among this process's children, as an
        # interpreter-started worker's does. One still running is not waited for.
        for pid, ours in spare:
            ours.close()
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        _reap()
    finally:
        os._exit(0)


def _reap() -> None:  # pragma: no cover - runs in the zygote
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def _fork_one(serve: Serve, control: socket.socket, spare: list[tuple[int, socket.socket]]
              ) -> tuple[int, socket.socket] | None:  # pragma: no cover - zygote
    """A worker running `serve`, and the zygote's end of its socket; None if none could be
    made. The worker closes its copies of the zygote's sockets: one of another worker's
    held open would keep that worker from ever seeing its end close."""
    try:
        ours, theirs = socket.socketpair()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        ours.close()
        theirs.close()
        return None
    if pid == 0:
        for other in (control, ours, *(sock for _, sock in spare)):
            other.close()
        serve(theirs)
    theirs.close()
    return pid, ours


def _hand_over(control: socket.socket,
               worker: tuple[int, socket.socket] | None) -> None:  # pragma: no cover - zygote
    """Send the refresh a worker's pid and socket, or word that none could be made."""
    if worker is None:
        control.sendall(_FAILED)
        return
    pid, ours = worker
    socket.send_fds(control, [pid.to_bytes(_PID_BYTES, "big")], [ours.fileno()])
    ours.close()


def _quiet() -> None:  # pragma: no cover - runs in the zygote
    """Standard streams to /dev/null: nothing a worker prints reaches the terminal, which
    may be showing progress. Other descriptors are left as they are (closing them under
    objects of this process's copy could later close whatever reused their numbers); the
    zygote and its workers end with the refresh, and with them the copies."""
    nowhere = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(nowhere, fd)
    os.close(nowhere)
