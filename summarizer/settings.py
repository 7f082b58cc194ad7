"""Settings from flags, environment variables (SUMMARIZER_*, OPENAI_BASE_URL, OPENAI_API_KEY) and defaults."""

from __future__ import annotations

import os
from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from .errors import InputError, add_secrets, url_secrets
from .llm.local_model import DEFAULT_MODEL


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SUMMARIZER_", extra="ignore", populate_by_name=True)

    base_url: str | None = Field(
        None, validation_alias=AliasChoices("base_url", "SUMMARIZER_BASE_URL", "OPENAI_BASE_URL"),
        description="OpenAI-compatible endpoint; unset means the embedded local model.")
    api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("api_key", "SUMMARIZER_API_KEY", "OPENAI_API_KEY"))
    model: str | None = Field(None, description="Model id at the endpoint; default: the first it lists.")
    profile: str = Field("auto", description="Request-shape profile (see backend.PROFILES) or 'auto'.")
    mode: Literal["auto", "multi", "single"] = "auto"
    timeout: float = Field(600.0, gt=0, description="Seconds per HTTP request.")
    attempts: int = Field(4, ge=1, description="Transport attempts per call (1 + retries).")
    reasks: int = Field(2, ge=0, description="Validation re-asks per call.")
    concurrency: int | None = Field(None, ge=1, description="Requests in flight; default from the profile.")
    chunk_chars: int = Field(12000, ge=500, description="Longest article piece sent in one request.")
    embedded_model: str = DEFAULT_MODEL
    n_ctx: int = 8192
    threads: int | None = None
    port: int | None = Field(None, description="Port for the embedded server; default: a free one.")
    store_timeout: float = Field(30.0, gt=0, description="Seconds to wait for another program's lock on the store "
                                                          "before running without saving.")

    def model_post_init(self, context: Any) -> None:
        add_secrets(self.key(), *url_secrets(self.base_url))  # masked from every message from now on

    def key(self) -> str | None:
        return self.api_key.get_secret_value() if self.api_key else None


def load_settings(given: dict[str, Any], flags: bool = False) -> Settings:
    """Settings from `given` (command-line flags, or keyword arguments), then the environment.

    A bad value is one InputError line naming where it came from (`--timeout`, `timeout=` or
    `SUMMARIZER_TIMEOUT`) and what was wrong, never pydantic's multi-line report.
    """
    try:
        return Settings(**given)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        if field in given:
            where = f"--{field.replace('_', '-')}" if flags else f"{field}="
        else:
            where = _env_name(field)
        msg = first["msg"]
        msg = "should" + msg[len("Input should"):] if msg.startswith("Input should") else msg
        value = "hidden" if field == "api_key" else repr(first.get("input"))
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise InputError(f"{where}: {msg} (got {value}){more}") from None


def _env_name(field: str) -> str:
    """The environment variable a setting was read from."""
    alias = Settings.model_fields[field].validation_alias if field in Settings.model_fields else None
    names = [n for n in getattr(alias, "choices", []) if isinstance(n, str) and n.isupper()]
    names = names or [f"SUMMARIZER_{field.upper()}"]
    return next((n for n in names if n in os.environ), names[0])
