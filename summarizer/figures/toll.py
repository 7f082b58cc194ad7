"""A casualty figure in words, as every report and prompt writes it: "at least 40 killed and 12 wounded"."""

from __future__ import annotations


def toll_text(killed: int | str | None, wounded: int | str | None, qualifier: str = "exact") -> str:
    """"40 killed and 12 wounded", with the qualifier in front unless exact or unknown; "" when
    neither figure is given."""
    text = " and ".join(f"{n} {what}" for n, what in ((killed, "killed"), (wounded, "wounded")) if n is not None)
    return text if not text or qualifier in ("exact", "unknown") else f"{qualifier} {text}"
