"""Write a result to the path the user named, whatever kind of path it is.

A regular file, or a path that does not exist yet, is replaced atomically: the text goes to a
temporary file beside it (`.NAME.xxxxxxxx`), which takes the old file's mode (and owner, as root) and
is renamed over it, so a reader never sees half a result and a failed write leaves the old file
whole. Anything else is written through, as a shell's `>` would: a symlink's target (atomically when
that is a regular file), a FIFO, a character device (/dev/stdout, a terminal). A file with other hard
links is written in place, so every name sees the new text (not atomically: a rename would cut the
links). Directories, sockets and block devices are refused. Failures are one `OutputError` line.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import OutputError, shown

_REFUSED = {stat.S_IFDIR: "is a directory", stat.S_IFSOCK: "is a socket", stat.S_IFBLK: "is a block device"}


def write_text(path: Path | str, text: str) -> None:
    """Write `text` (UTF-8) to `path`; raises OutputError with one line."""
    data = text.encode("utf-8")
    try:
        try:
            st: os.stat_result | None = os.stat(path)  # follows links: what a write would reach
        except FileNotFoundError:
            st = None
        if st is None:
            _replace(_new_file(path), data, None)
        elif stat.S_ISREG(st.st_mode):
            target = _renamable(path, st)
            if target is None:
                _write_through(path, data, truncate=True)
            else:
                _replace(target, data, st)
        elif stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode):
            _write_through(path, data)
        else:
            raise OutputError(f"cannot write {shown(path)}: it {_REFUSED.get(stat.S_IFMT(st.st_mode), 'is not a file')}")
    except OSError as exc:
        raise OutputError(f"cannot write {shown(path)} ({exc.strerror or exc})") from None


def _new_file(path: Path | str) -> str:
    """Where a path that does not exist yet is created: a dangling link's target, else the path
    itself in its directory (made if missing)."""
    if os.path.islink(path):
        return os.path.realpath(path)
    parent = Path(path).parent
    if not os.path.lexists(parent):
        parent.mkdir(parents=True)
    return os.fspath(path)


def _renamable(path: Path | str, st: os.stat_result) -> str | None:
    """The name to rename a new file over: the path, or the file its links lead to. None where a
    rename would do harm (other hard links) or cannot reach the file by name (/proc/self/fd/N)."""
    if st.st_nlink > 1:
        return None
    if not os.path.islink(path):
        return os.fspath(path)
    real = os.path.realpath(path)
    try:
        return real if os.path.samestat(os.stat(real), st) else None
    except OSError:
        return None


def _replace(target: str | Path, data: bytes, old: os.stat_result | None) -> None:
    directory, name = os.path.split(os.fspath(target))
    fd, tmp = _temporary(directory or ".", name)
    try:
        if old is not None:
            if getattr(os, "geteuid", lambda: -1)() == 0:
                os.fchown(fd, old.st_uid, old.st_gid)  # before the mode: chown clears set-id bits
            os.fchmod(fd, stat.S_IMODE(old.st_mode))
        _write_all(fd, data)
        os.fsync(fd)  # a full disk can show only here (delayed allocation), before the old file goes
        os.close(fd)
        fd = -1
        os.replace(tmp, target)
    except BaseException:  # Ctrl-C too: never leave the temporary file behind
        if fd >= 0:
            os.close(fd)
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _temporary(directory: str, name: str) -> tuple[int, str]:
    """A new file beside the target, created with mode 0666 less the umask (mkstemp's 0600 would
    make every new result private)."""
    while True:
        tmp = os.path.join(directory, f".{name}.{os.urandom(4).hex()}")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666), tmp
        except FileExistsError:
            continue


def _write_through(path: Path | str, data: bytes, truncate: bool = False) -> None:
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        _write_all(fd, data)
        if truncate:
            os.ftruncate(fd, len(data))
            os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
