"""One article end to end through the CLI and the library, replaying a recorded cassette."""

from __future__ import annotations

import asyncio
import json

import pytest
from typer.testing import CliRunner

from summarizer import Brief, Summarizer, asummarize, summarize
from summarizer.cli import app
from summarizer.figures.candidates import figure_check

from .conftest import BASE_URL, MODEL, SHORT_ARTICLE

TEXT = SHORT_ARTICLE.read_text(encoding="utf-8")
CLI_FLAGS = ["--base-url", BASE_URL, "--model", MODEL, "--profile", "llama-cpp-python", "--quiet"]
NOT_REPEATABLE = {"timings", "created_at"}  # what differs between two runs of the same brief


def assert_grounded(brief: Brief, text: str) -> None:
    """Every item shown carries evidence that is the article's own words at the stated offsets."""
    items = [*brief.actors, *brief.assets, *brief.bases, *brief.casualties,
             *brief.background_figures, *brief.open_questions]
    assert items, "the brief holds no items"
    for item in items:
        assert item.evidence, item
        for ev in item.evidence:
            assert ev.grounded and text[ev.start:ev.end] == ev.quote


def assert_figures_stated(brief: Brief) -> None:
    """No casualty figure absent from its own evidence, or stated there as something else."""
    for c in brief.casualties:
        quote = " ".join(ev.quote for ev in c.evidence)
        for value, kind in ((c.killed, "killed"), (c.wounded, "wounded")):
            if value is not None:
                assert figure_check(value, quote, kind)[0] is not None, (value, quote)


@pytest.mark.vcr
def test_cli_json_brief_is_schema_valid_and_grounded():
    result = CliRunner().invoke(app, ["brief", str(SHORT_ARTICLE), "--format", "json", *CLI_FLAGS])
    assert result.exit_code == 0, result.output
    brief = Brief.model_validate(json.loads(result.stdout))
    assert_grounded(brief, TEXT)
    assert_figures_stated(brief)
    assert brief.meta.model == MODEL and brief.meta.prompt_version
    # entities, overview, and one call checking the figures the parse found (sentences, not the article)
    assert brief.casualties and brief.meta.usage.calls == 3 and brief.meta.usage.completion_tokens > 0
    assert brief.meta.source == str(SHORT_ARTICLE)


@pytest.mark.vcr
def test_cli_markdown_to_file(tmp_path):
    out = tmp_path / "brief.md"
    result = CliRunner().invoke(app, ["brief", str(SHORT_ARTICLE), "-o", str(out), *CLI_FLAGS])
    assert result.exit_code == 0, result.output
    md = out.read_text()
    assert md.startswith("# ") and "## Actors" in md and "| Evidence |" in md


@pytest.mark.vcr
def test_cli_reads_stdin():
    result = CliRunner().invoke(app, ["brief", "-", "--format", "json", *CLI_FLAGS], input=TEXT)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["meta"]["source"] == "stdin"


@pytest.mark.vcr
def test_library_summarize_matches_cli(backend_settings):
    """The library and the command make the same brief of the same article from the same answers."""
    brief = summarize(TEXT, source=str(SHORT_ARTICLE), **backend_settings)
    assert_grounded(brief, TEXT)
    with Summarizer(**backend_settings) as s:
        again = s.summarize(TEXT, source=str(SHORT_ARTICLE))
    result = CliRunner().invoke(app, ["brief", str(SHORT_ARTICLE), "--format", "json", *CLI_FLAGS])
    assert result.exit_code == 0, result.output
    cli = Brief.model_validate(json.loads(result.stdout))
    for other in (again, cli):
        assert other.model_dump(exclude={"meta"}) == brief.model_dump(exclude={"meta"})
        assert other.meta.model_dump(exclude=NOT_REPEATABLE) == brief.meta.model_dump(exclude=NOT_REPEATABLE)


@pytest.mark.vcr
def test_library_async_twin(backend_settings):
    brief = asyncio.run(asummarize(TEXT, source=str(SHORT_ARTICLE), **backend_settings))
    assert_grounded(brief, TEXT)
