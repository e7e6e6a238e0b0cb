"""A sandbox in a subprocess, for the service and the tests.

Each ``SandboxProcess`` is its own ``python -m sandbox`` with its own in-memory state on a
free loopback port (kept in a file across restarts with ``state_file``). Needs only httpx,
not the sandbox extra, in the calling process.
Async twins (``*_async``) exist for callers whose event loop also serves the webhook
receiver: a blocking ``drain()`` there would wait on deliveries the loop cannot accept.
"""

import os
import re
import selectors
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

# localstripe accepts any sk_ key; this fixed one is what billgraph is configured with.
SECRET_KEY = "sk_test_billgraph_sandbox"  # noqa: S105 - not a secret: a sandbox-only value
_READY = re.compile(r"^sandbox listening on (http://\S+)$")
_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)
# Webhook deliveries time out after 10 s each; a drain may wait for several.
_DRAIN_TIMEOUT = 120.0


class SandboxError(Exception):
    """A test helper refused: the HTTP ``status`` and Stripe's ``error`` hash (a card error
    carries the ``payment_intent`` it left behind)."""

    def __init__(self, status: int, error: dict[str, Any]) -> None:
        super().__init__(
            f"{status} {error.get('code') or error.get('type')}: {error.get('message')}"
        )
        self.status = status
        self.error = error


class SandboxProcess:
    secret_key = SECRET_KEY

    def __init__(
        self, startup_timeout: float = 20.0, port: int = 0, state_file: Path | None = None
    ) -> None:
        """``port`` 0 picks a free one; a fixed port lets a test bring the same
        sandbox address back after stopping it. With ``state_file`` the sandbox starts from
        the state saved there and saves it back, so the next one continues from it."""
        self.startup_timeout = startup_timeout
        self.port = port
        self.state_file = state_file
        self._process: subprocess.Popen[str] | None = None
        self._url: str | None = None

    @property
    def url(self) -> str:
        if self._url is None:
            raise RuntimeError("the sandbox is not started")
        return self._url

    def start(self) -> "SandboxProcess":
        """Spawn ``python -m sandbox --port PORT``; return once it answers. The sandbox does not
        outlive this process, even if this process is killed with SIGKILL."""
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
        # The child exits when this pipe closes, i.e. when this process ends, however it ends.
        command = [sys.executable, "-m", "sandbox", "--port", str(int(self.port))]
        if self.state_file is not None:
            command += ["--state-file", str(self.state_file)]
        self._process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [*command, "--exit-with-stdin"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        deadline = time.monotonic() + self.startup_timeout
        try:
            self._url = self._read_url(deadline)
            self._wait_until_answering(deadline)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Terminate the sandbox and wait for it to exit."""
        process, self._process, self._url = self._process, None, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for pipe in (process.stdin, process.stdout):
            if pipe is not None:
                pipe.close()

    def configure_webhook(
        self, url: str, secret: str, events: list[str] | None = None, webhook_id: str = "billgraph"
    ) -> None:
        """Send every event (or only ``events``) to ``url``, signed with ``secret``."""
        self._call(*self._webhook_request(url, secret, events, webhook_id))

    async def configure_webhook_async(
        self, url: str, secret: str, events: list[str] | None = None, webhook_id: str = "billgraph"
    ) -> None:
        await self._call_async(*self._webhook_request(url, secret, events, webhook_id))

    def remove_webhook(self, webhook_id: str = "billgraph") -> None:
        self._call("DELETE", f"/_config/webhooks/{webhook_id}")

    async def remove_webhook_async(self, webhook_id: str = "billgraph") -> None:
        await self._call_async("DELETE", f"/_config/webhooks/{webhook_id}")

    def reset(self) -> None:
        """Forget every object, event, undelivered webhook and idempotency key; the webhook
        endpoints stay configured."""
        self._call("DELETE", "/_config/data")

    async def reset_async(self) -> None:
        await self._call_async("DELETE", "/_config/data")

    def chaos(self, **settings: float | int) -> Any:
        """Deliver like Stripe from now on: late, out of order, duplicated, retried
        (sandbox.webhooks.Chaos: ``duplicate``, ``delay``, ``retries``, ``backoff``, ``seed``);
        ``chaos(enabled=False)`` goes back to in order, once. The settings in force, as JSON."""
        return self._call(*self._chaos_request(settings))

    async def chaos_async(self, **settings: float | int) -> Any:
        return await self._call_async(*self._chaos_request(settings))

    def chaos_settings(self) -> Any:
        """The delivery settings in force: ``{"enabled": false}`` for in order, once."""
        return self._call("GET", "/_config/chaos")

    def drain(self) -> None:
        """Return once every event emitted so far was delivered (or failed)."""
        self._call("POST", "/_sandbox/webhooks/drain")

    async def drain_async(self) -> None:
        await self._call_async("POST", "/_sandbox/webhooks/drain")

    def helper(self, path: str, **params: str | int | bool) -> Any:
        """Call test helper ``POST /_sandbox/<path>``, e.g.
        ``helper("subscriptions/sub_x/advance")``; the object it answers, as JSON."""
        return self._call("POST", f"/_sandbox/{path}", _form(params))

    async def helper_async(self, path: str, **params: str | int | bool) -> Any:
        return await self._call_async("POST", f"/_sandbox/{path}", _form(params))

    def __enter__(self) -> "SandboxProcess":
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @staticmethod
    def _webhook_request(
        url: str, secret: str, events: list[str] | None, webhook_id: str
    ) -> tuple[str, str, dict[str, Any]]:
        data: dict[str, Any] = {"url": url, "secret": secret}
        if events is not None:
            data["events[]"] = events
        return "POST", f"/_config/webhooks/{webhook_id}", data

    @staticmethod
    def _chaos_request(settings: dict[str, float | int]) -> tuple[str, str, dict[str, Any]]:
        if settings.pop("enabled", True):
            return "POST", "/_config/chaos", _form(settings)
        return "DELETE", "/_config/chaos", {}

    def _call(self, method: str, path: str, data: dict[str, Any] | None = None) -> Any:
        with httpx.Client(base_url=self.url, timeout=_DRAIN_TIMEOUT) as client:
            return _answer(client.request(method, path, data=data))

    async def _call_async(self, method: str, path: str, data: dict[str, Any] | None = None) -> Any:
        async with httpx.AsyncClient(base_url=self.url, timeout=_DRAIN_TIMEOUT) as client:
            return _answer(await client.request(method, path, data=data))

    def _read_url(self, deadline: float) -> str:
        assert self._process is not None and self._process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self._process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout=max(0.0, deadline - time.monotonic())):
                raise RuntimeError("the sandbox did not start in time")
        line = self._process.stdout.readline().strip()
        match = _READY.match(line)
        if match is None:
            raise RuntimeError(f"the sandbox failed to start (exit code {self._process.poll()})")
        return match.group(1)

    def _wait_until_answering(self, deadline: float) -> None:
        while True:
            try:
                httpx.get(f"{self.url}/_sandbox/health", timeout=1).raise_for_status()
                return
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)


def _form(params: dict[str, Any]) -> dict[str, str]:
    return {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in params.items()}


def _answer(response: httpx.Response) -> Any:
    """The JSON body of a success (None when empty); SandboxError for a Stripe error."""
    is_json = response.headers.get("Content-Type", "").startswith("application/json")
    if response.is_success:
        return response.json() if is_json else None
    if is_json and "error" in response.json():
        raise SandboxError(response.status_code, response.json()["error"])
    response.raise_for_status()
    return None
