"""Where results go: `-o` onto whatever the path is (files, links, FIFOs, devices), stdout in any
state, and one line with the documented exit code when output fails, the result never lost.

Devices are never written directly: the "character device" is /dev/null through a link made in a
temporary directory, and the full disk is a full device node (1, 7) made there, skipped where
mknod is not allowed.
"""

from __future__ import annotations

import errno
import os
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from summarizer.errors import OutputError
from summarizer.cli.output import write_text

from .conftest import ROOT, SHORT_ARTICLE
from .fakeserver import FakeOpenAI

TEXT = "# Brief — ünïcode\n\nAll is well.\n"


def leftovers(directory: Path) -> list[str]:
    """Temporary files a write may have left behind (`.NAME.xxxx`)."""
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


def full_device(directory: Path) -> Path:
    """A device node like /dev/full (every write fails with ENOSPC), made in `directory`."""
    path = directory / "full"
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here ({exc.strerror})")
    return path


class FifoReader:
    """Reads a FIFO to its end in a thread (a writer's open blocks until a reader opens it)."""

    def __init__(self, path: Path):
        self.path, self.data = path, b""
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        with open(self.path, "rb") as f:
            self.data = f.read()

    def result(self) -> bytes:
        self.thread.join(timeout=60)
        return self.data


# ---- the writer ------------------------------------------------------------------------------

def test_a_new_file_gets_the_usual_mode_and_an_old_one_keeps_its_mode(tmp_path):
    new = tmp_path / "new.md"
    write_text(new, TEXT)
    umask = os.umask(0o022)
    os.umask(umask)
    assert new.read_text(encoding="utf-8") == TEXT and stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask
    old = tmp_path / "old.md"
    old.write_text("old")
    old.chmod(0o640)
    write_text(old, TEXT)
    assert old.read_text(encoding="utf-8") == TEXT and stat.S_IMODE(old.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a file away")
def test_root_keeps_an_old_files_owner(tmp_path):
    old = tmp_path / "old.md"
    old.write_text("old")
    os.chown(old, 4321, 4321)
    write_text(old, TEXT)
    assert (old.stat().st_uid, old.stat().st_gid) == (4321, 4321) and old.read_text(encoding="utf-8") == TEXT


def test_a_symlink_is_written_through_to_its_target_atomically(tmp_path):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "brief.md"
    target.write_text("old")
    target.chmod(0o600)
    link = tmp_path / "link.md"
    link.symlink_to(target)
    write_text(link, TEXT)
    assert link.is_symlink() and target.read_text(encoding="utf-8") == TEXT
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "real" / "later.md")
    write_text(dangling, TEXT)
    assert dangling.is_symlink() and (tmp_path / "real" / "later.md").read_text(encoding="utf-8") == TEXT
    assert leftovers(tmp_path) == leftovers(tmp_path / "real") == []


def test_a_fifo_and_a_link_to_one_are_written_through(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link-to-pipe"
    link.symlink_to(fifo)
    for path in (fifo, link):
        reader = FifoReader(fifo)
        write_text(path, TEXT)
        assert reader.result() == TEXT.encode()
    assert stat.S_ISFIFO(fifo.stat().st_mode) and link.is_symlink()


def test_a_character_device_is_written_through_not_replaced(tmp_path):
    link = tmp_path / "null"
    link.symlink_to("/dev/null")
    write_text(link, TEXT)
    assert link.is_symlink() and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert leftovers(tmp_path) == []


def test_a_hard_linked_file_is_written_in_place_for_every_name(tmp_path):
    first = tmp_path / "a.md"
    first.write_text("old text, longer than the new one " * 10)
    second = tmp_path / "b.md"
    os.link(first, second)
    write_text(second, TEXT)
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8") == TEXT
    assert first.stat().st_nlink == 2 and first.stat().st_ino == second.stat().st_ino


def test_what_cannot_take_a_brief_is_refused_with_one_line(tmp_path):
    with pytest.raises(OutputError, match="is a directory"):
        write_text(tmp_path, TEXT)
    sock_path = tmp_path / "sock"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        with pytest.raises(OutputError, match="is a socket"):
            write_text(sock_path, TEXT)
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    with pytest.raises(OutputError, match="cannot write"):
        write_text(loop, TEXT)
    assert OutputError.exit_code == 5


def test_a_full_device_is_an_error_not_a_success(tmp_path):
    link = tmp_path / "link"
    link.symlink_to(full_device(tmp_path))
    with pytest.raises(OutputError, match="No space left on device"):
        write_text(link, TEXT)


@pytest.mark.parametrize("step", ["write", "fsync", "replace"])
def test_a_failed_write_leaves_the_old_file_whole_and_no_temporary_file(tmp_path, monkeypatch, step):
    old = tmp_path / "brief.md"
    old.write_text("old")

    def fail(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, step, fail)
    with pytest.raises(OutputError, match="No space left on device"):
        write_text(old, TEXT)
    monkeypatch.undo()
    assert old.read_text() == "old" and leftovers(tmp_path) == []


def test_an_interrupted_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_text(tmp_path / "brief.md", TEXT)
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


# ---- the command -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def backend():
    with FakeOpenAI([]) as server:
        yield server


def brief(backend: FakeOpenAI, *args: str, **kw) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    return subprocess.run([sys.executable, "-m", "summarizer.cli", "brief", str(SHORT_ARTICLE), "-q",
                           "--base-url", backend.base_url, "--model", "m", "--profile", "openai", *args],
                          cwd=ROOT, capture_output=kw.pop("capture_output", True), timeout=120,
                          env={**env, **kw.pop("env", {})}, **kw)


def error_line(p: subprocess.CompletedProcess) -> str:
    err = p.stderr.decode()
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


def test_output_to_a_link_to_stdout_reaches_stdout(backend, tmp_path):
    link = tmp_path / "out"
    link.symlink_to("/dev/stdout")
    p = brief(backend, "-o", str(link))
    assert p.returncode == 0, p.stderr.decode()
    assert p.stdout.decode().startswith("# ") and link.is_symlink()


def test_output_to_a_full_device_fails_and_prints_the_brief(backend, tmp_path):
    link = tmp_path / "brief.md"
    link.symlink_to(full_device(tmp_path))
    p = brief(backend, "-o", str(link))
    assert p.returncode == 5 and p.stdout.decode().startswith("# ")
    assert error_line(p) == (f"summarizer: error: cannot write {link} (No space left on device); "
                             "the result was printed to stdout instead")


def test_an_output_file_name_that_is_not_utf8(backend, tmp_path):
    name = os.fsdecode(b"br\xffef.md")
    p = brief(backend, "-o", str(tmp_path / name))
    assert p.returncode == 0, p.stderr.decode()
    assert (tmp_path / name).read_text(encoding="utf-8").startswith("# ")
    (tmp_path / "file").write_text("")
    p = brief(backend, "-o", str(tmp_path / "file" / name))  # under a file: cannot be written
    assert p.returncode == 5 and p.stdout.decode().startswith("# ")
    assert error_line(p) == (f"summarizer: error: cannot write {tmp_path}/file/br\\xffef.md (Not a directory); "
                             "the result was printed to stdout instead")


def test_stdout_closed_full_or_not_utf8(backend, tmp_path):
    p = brief(backend, stdout=None, capture_output=False, stderr=subprocess.PIPE,
              preexec_fn=lambda: os.close(1))
    assert p.returncode == 5
    assert error_line(p) == "summarizer: error: cannot write to stdout (it is closed); give -o FILE"
    read, write = os.pipe()
    os.close(read)  # nobody will read: a broken pipe
    try:
        p = brief(backend, stdout=write, capture_output=False, stderr=subprocess.PIPE)
    finally:
        os.close(write)
    assert p.returncode == 5 and error_line(p) == "summarizer: error: cannot write to stdout (Broken pipe)"
    p = brief(backend, env={"PYTHONIOENCODING": "ascii"})  # a terminal in an ASCII locale
    assert p.returncode == 0, p.stderr.decode()
    assert p.stdout.decode("utf-8").startswith("# ")
    with open(full_device(tmp_path), "wb") as full:
        p = brief(backend, stdout=full, capture_output=False, stderr=subprocess.PIPE)
    assert p.returncode == 5
    assert error_line(p) == "summarizer: error: cannot write to stdout (No space left on device)"


@pytest.mark.parametrize("args,env,expect", [
    (["--timeout", "0"], {}, "summarizer: error: --timeout: should be greater than 0 (got 0.0)"),
    (["--mode", "bogus"], {}, "summarizer: error: --mode: should be 'auto', 'multi' or 'single' (got 'bogus')"),
    ([], {"SUMMARIZER_ATTEMPTS": "many"},
     "summarizer: error: SUMMARIZER_ATTEMPTS: should be a valid integer, unable to parse string as an integer (got 'many')"),
    ([], {"SUMMARIZER_TIMEOUT": "-1"}, "summarizer: error: SUMMARIZER_TIMEOUT: should be greater than 0 (got '-1')"),
    (["--timeout", "soon"], {}, "summarizer: error: Invalid value for '--timeout': Input should be a valid number, "
                                "unable to parse string as a number (see summarizer brief --help)"),
])
def test_bad_settings_are_one_line_and_exit_2(backend, args, env, expect):
    p = brief(backend, *args, env=env)
    assert p.returncode == 2 and p.stdout == b""
    assert error_line(p) == expect
