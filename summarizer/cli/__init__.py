"""The command line: a thin layer over the library. Errors are one line on stderr, never a traceback.

Each command is in a module of its own; what they share is shared.py."""

from __future__ import annotations

import signal
import sys

import typer
from typer._click import exceptions as click  # typer's own click (pinned typer 0.29)

from . import brief, daily, evaluate, model
from .shared import friendly, say

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Schema-validated briefs of conflict and security news articles.")
app.add_typer(model.app, name="model")
app.command("brief")(friendly(brief.brief))
app.command("schema")(friendly(brief.schema))
app.command("eval")(friendly(evaluate.eval_cmd))
app.command("daily")(friendly(daily.daily))


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
        say(f"error: {' '.join(exc.format_message().split())}{where}")
        code = exc.exit_code
    except click.ClickException as exc:
        say(f"error: {' '.join(exc.format_message().split())}")
        code = exc.exit_code
    except typer.Abort:
        say("interrupted")
        code = 130
    sys.exit(code if isinstance(code, int) else 0)

