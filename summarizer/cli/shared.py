"""What every command shares: one-line messages on stderr, turning failures into exit codes, writing
the result, and the options that pick and reach the model."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

import typer

from ..errors import OutputError, SummarizerError, redact
from ..settings import Settings, load_settings
from .output import write_text


def say(message: str) -> None:
    """A message on stderr: progress, warnings and errors alike (stdout carries only the result)."""
    sys.stderr.write(f"summarizer: {message}\n")
    sys.stderr.flush()


def friendly(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn every failure into one line on stderr and a non-zero exit."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except SummarizerError as exc:
            say(f"error: {exc}")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            say("interrupted")
            raise typer.Exit(130) from None
        except Exception as exc:  # noqa: BLE001
            if os.environ.get("SUMMARIZER_DEBUG"):
                raise
            say(redact(f"internal error: {type(exc).__name__}: {exc} (set SUMMARIZER_DEBUG=1 for a traceback)"))
            raise typer.Exit(1) from None

    return wrapper


def write_output(text: str, output: Path | None) -> None:
    """Write to the file (see output.py), or to stdout. If the file cannot be written, the result
    goes to stdout so it is not lost, and the command still fails (exit 5)."""
    if output is None or str(output) == "-":
        to_stdout(text)
        return
    try:
        write_text(output, text)
    except OutputError as exc:
        try:
            to_stdout(text)
        except OutputError as also:
            raise OutputError(f"{exc}; and {also}") from None
        raise OutputError(f"{exc}; the result was printed to stdout instead") from None


def to_stdout(text: str) -> None:
    """The result on stdout, as UTF-8 whatever the locale (as files are written); a closed, full or
    broken stdout is one OutputError."""
    out = sys.stdout
    if out is None:  # started with stdout closed (`>&-`)
        raise OutputError("cannot write to stdout (it is closed); give -o FILE")
    try:
        out.flush()
        raw = getattr(out, "buffer", None)
        if raw is not None:
            raw.write(text.encode("utf-8"))
            raw.flush()
        else:
            out.write(text)
            out.flush()
    except OSError as exc:
        # what is still buffered would fail again at exit, with a message of Python's own
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, out.fileno())
            os.close(devnull)
        except (OSError, ValueError):
            pass
        raise OutputError(f"cannot write to stdout ({exc.strerror or exc})") from None


BaseUrl = Annotated[Optional[str], typer.Option("--base-url", help="OpenAI-compatible endpoint (env OPENAI_BASE_URL); default: the embedded model.")]
ModelOpt = Annotated[Optional[str], typer.Option("--model", help="Model id at the endpoint; default: the first it lists.")]
ApiKey = Annotated[Optional[str], typer.Option("--api-key", help="API key (env OPENAI_API_KEY).", show_default=False)]
ProfileOpt = Annotated[Optional[str], typer.Option("--profile", help="Request-shape profile: auto, llama-cpp-python, llama.cpp, vllm, ollama, openai.")]
TimeoutOpt = Annotated[Optional[float], typer.Option("--timeout", help="Seconds per HTTP request.")]
ModeOpt = Annotated[Optional[str], typer.Option("--mode", help="auto, multi (focused passes) or single (one call).")]


def make_settings(**flags: Any) -> Settings:
    return load_settings({k: v for k, v in flags.items() if v is not None}, flags=True)
