"""The JSON Schema files (schemas/) that report tools in other languages read, from the models."""

from __future__ import annotations

from typing import Any

from .brief import Brief
from .daily import DailyBrief


def export_schemas() -> dict[str, dict[str, Any]]:
    """JSON Schema documents, by file name."""
    return {"brief.schema.json": Brief.model_json_schema(mode="serialization"),
            "daily_brief.schema.json": DailyBrief.model_json_schema(mode="serialization")}
