"""The library's front door: `Summarizer`, `summarize` and `asummarize`. Never prints."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from .llm import local_model
from .llm.backend import PROFILES, Backend, RetryPolicy
from .errors import BackendError, InputError, ModelError, public_url
from .pipeline import brief_of
from .llm.probe import probe_models
from .models.brief import Brief
from .settings import Settings, load_settings

Progress = Callable[[str], None]


class Summarizer:
    """Holds the backend (and the embedded server, when used) for many calls.

    Use as a context manager, sync or async; the embedded server starts on first use and stops on
    close. `progress` receives one-line status messages (model download, server start); `warn`
    (default: `progress`) receives what the user should know even when not following progress,
    such as a choice the program made for them (also kept in each brief's `meta.note`).
    """

    def __init__(self, settings: Settings | None = None, progress: Progress | None = None,
                 policy: RetryPolicy | None = None, warn: Progress | None = None, **overrides: Any):
        if settings is None:
            self.settings = load_settings(overrides)
        else:
            self.settings = load_settings({**settings.model_dump(), **overrides}) if overrides else settings
        self.progress: Progress = progress or (lambda _msg: None)
        self.warn: Progress = warn or self.progress
        self.note: str | None = None  # a choice made for the user, for every brief's meta
        self.policy = policy
        self.server: local_model.LocalServer | None = None
        self._backend: Backend | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._restarted = False

    # ---- set-up ---------------------------------------------------------------------------
    def _start_embedded(self) -> tuple[str, str]:
        spec = local_model.spec_for(self.settings.embedded_model)
        if not local_model.is_installed(spec):
            self.progress(f"installing the embedded model {spec.name} (once; {spec.size / 2**30:.1f} GiB)")
            local_model.install(spec, progress=self.progress)
        self.progress(f"starting the embedded llama.cpp server ({spec.name})")
        self.server = local_model.LocalServer(spec, port=self.settings.port, n_ctx=self.settings.n_ctx,
                                              n_threads=self.settings.threads)
        self.server.start()
        return self.server.base_url, spec.name

    def backend(self) -> Backend:
        if self._backend is not None:
            return self._backend
        s = self.settings
        if s.base_url:
            base_url, model, profile_name = s.base_url.rstrip("/"), s.model, s.profile
            if s.profile == "auto" or not model:
                found = probe_models(base_url, s.key(), s.timeout)
                model = model or found.model
                if not model:
                    raise BackendError(f"no --model given, and {public_url(base_url)}/models {found.problem}; give --model")
                if s.profile == "auto":
                    profile_name = found.profile or "standard"
                    if found.profile is None:  # a guess: never a silent one
                        mode = s.mode if s.mode != "auto" else PROFILES["standard"].passes
                        self.note = (f"profile auto: {public_url(base_url)}/models {found.problem}; used the standard request "
                                     f"shape in {mode} mode (--profile chooses)")
                        self.warn(self.note)
        else:
            base_url, model = self._start_embedded()
            profile_name = self._embedded_profile()
        if profile_name not in PROFILES:
            raise BackendError(f"unknown profile {profile_name!r}; known: {', '.join(PROFILES)}")
        profile = PROFILES[profile_name]
        if s.concurrency:
            profile = type(profile)(**{**profile.__dict__, "concurrency": s.concurrency})
        policy = self.policy or RetryPolicy(attempts=s.attempts, reasks=s.reasks)
        self._backend = Backend(base_url, model, profile, api_key=s.key(), timeout=s.timeout, policy=policy)
        return self._backend

    def _embedded_profile(self) -> str:
        return "llama-cpp-python" if self.settings.profile == "auto" else self.settings.profile

    @property
    def mode(self) -> str:
        if self.settings.mode != "auto":
            return self.settings.mode
        if not self.settings.base_url and self._backend is None and self._embedded_profile() in PROFILES:
            # known without starting the embedded server: a daily run whose briefs are all stored starts none
            return PROFILES[self._embedded_profile()].passes
        return self.backend().profile.passes

    # ---- work -----------------------------------------------------------------------------
    async def asummarize(self, text: str, source: str | None = None, mode: str | None = None) -> Brief:
        """Brief of one article. Raises InputError, ModelError or BackendError with a one-line message."""
        if not text or not text.strip():
            raise InputError(f"{source or 'input'}: no article text")
        backend = self.backend()
        try:
            brief = await brief_of(backend, text, source, mode or self.mode, self.settings.chunk_chars)
        except BackendError:
            # The embedded server dying mid-run is worth exactly one restart.
            if self.server is not None and not self.server.alive() and not self._restarted:
                self._restarted = True
                self.progress("the embedded server stopped; restarting it once")
                self.server.restart()
                brief = await brief_of(backend, text, source, mode or self.mode, self.settings.chunk_chars)
            else:
                raise
        if self.note:
            brief = brief.model_copy(update={"meta": brief.meta.model_copy(update={"note": self.note})})
        return brief

    def summarize(self, text: str, source: str | None = None, mode: str | None = None) -> Brief:
        """Synchronous twin of `asummarize` (runs on this object's own event loop)."""
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
        task = self._loop.create_task(self.asummarize(text, source, mode))
        try:
            return self._loop.run_until_complete(task)
        except BaseException:
            # Ctrl-C lands anywhere in the loop: unwind the call's requests while the loop still
            # runs, or they die later on a closed loop with a traceback for each.
            _cancel(self._loop, task)
            raise

    # ---- lifetime -------------------------------------------------------------------------
    async def aclose(self) -> None:
        if self._backend is not None:
            await self._backend.aclose()
            self._backend = None
        if self.server is not None:
            self.server.stop()
            self.server = None

    def close(self) -> None:
        if self._loop is not None:
            try:
                self._loop.run_until_complete(self.aclose())
            finally:
                _cancel(self._loop, *asyncio.all_tasks(self._loop))
                self._loop.close()
                self._loop = None
        else:
            if self.server is not None:
                self.server.stop()
                self.server = None
            self._backend = None

    def __enter__(self) -> "Summarizer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> "Summarizer":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


def _cancel(loop: asyncio.AbstractEventLoop, *tasks: asyncio.Task) -> None:
    """Cancel `tasks` and run `loop` until they have unwound (what asyncio.run does at its end);
    their exceptions (a KeyboardInterrupt that landed in one) count as seen, not "never retrieved"."""
    pending = [t for t in tasks if not t.done()]
    for t in pending:
        t.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    for t in tasks:
        if not t.cancelled():
            t.exception()


def summarize(text: str, source: str | None = None, **settings: Any) -> Brief:
    """Brief of one article with a throwaway `Summarizer` (settings as keyword arguments)."""
    with Summarizer(**settings) as s:
        return s.summarize(text, source)


async def asummarize(text: str, source: str | None = None, **settings: Any) -> Brief:
    """Async twin of `summarize`."""
    async with Summarizer(**settings) as s:
        return await s.asummarize(text, source)


__all__ = ["Summarizer", "summarize", "asummarize", "InputError", "ModelError", "BackendError"]
