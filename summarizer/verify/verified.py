"""What verification yields: the items kept, the items rejected with their reasons, the conflicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from ..models.brief import ITEM_MODELS, CasualtyConflict, Rejected


@dataclass
class Verified:
    items: dict[str, list[Any]] = field(default_factory=lambda: {s: [] for s in ITEM_MODELS})
    rejected: list[Rejected] = field(default_factory=list)
    conflicts: list[CasualtyConflict] = field(default_factory=list)

    def reject(self, section: str, item: BaseModel | dict, reason: str) -> None:
        data = item.model_dump(mode="json") if isinstance(item, BaseModel) else dict(item)
        self.rejected.append(Rejected(section=section, item=data, reason=reason))
