"""The demo's citizen on Zalo: every chat step is a signed webhook from the fake Zalo platform.

The fake platform (:class:`~tthc_adapters.zalo._fake_server.FakeZaloServer`)
and tthc's app (``POST /webhooks/zalo``) both run on loopback under uvicorn;
the inbox worker handles the events and the outbox sends the replies
through the OA client back to the fake, which is where the demo reads them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from tthc_adapters.app import create_app, uvicorn_options
from tthc_adapters.app._throttle import ThrottleSettings
from tthc_adapters.loopback import LoopbackServer
from tthc_adapters.webhooks import inbox_handlers
from tthc_adapters.zalo import (
    ZaloApiSettings,
    ZaloParts,
    ZaloSecrets,
    ZaloWebhookSettings,
    ZnsTemplate,
    zalo_handlers,
)
from tthc_adapters.zalo._fake_server import FakeZaloServer
from tthc_core.desk import Desk
from tthc_core.storage import Clock, Store, drain_inbox

__all__ = ["ZaloStage", "zalo_stage"]

#: The ZNS template the demo's OA registered (docs/zalo.md).
DEMO_TEMPLATE = ZnsTemplate("demo-thong-bao-ho-so")


class ZaloStage:
    """The fake platform, tthc's webhook URL, and the Zalo channel's parts."""

    def __init__(self, fake: FakeZaloServer, url: str, parts: ZaloParts, handlers: Any) -> None:
        self.fake, self.url, self.parts, self._handlers = fake, url, parts, handlers
        self._shown = 0

    def post(self, name: str, user: str, **fields: Any) -> None:
        """The platform signs and POSTs one event; tthc must acknowledge it."""
        response = self.fake.post_event(self.url, self.fake.event(name, user, **fields))
        response.raise_for_status()

    def handle(self, store: Store, clock: Clock) -> None:
        """The inbox worker's pass."""
        drain_inbox(
            store.inbox_queue, store.unit_of_work, self._handlers, owner="demo", clock=clock
        )

    def show(self) -> None:
        """Print what reached citizens on the platform since the last call."""
        for sent in self.fake.sent[self._shown :]:
            where = f"ZNS {sent.user_id[:4]}…" if sent.via == "zns" else f"zalo {sent.user_id}"
            text = sent.text.replace("\n", "\n      ")
            print(f"   → [{where}] {text}")
        self._shown = len(self.fake.sent)


@contextlib.contextmanager
def zalo_stage(store: Store, desk: Desk, clock: Clock) -> Iterator[ZaloStage]:
    """Serve the fake platform and tthc's webhook on loopback for the story."""
    with FakeZaloServer(clock=clock) as fake:
        secrets = ZaloSecrets(fake.app_id, fake.oa_id, fake.oa_secret)
        app = create_app(
            store,
            desk,
            postal_secret="demo-unused",  # noqa: S106 - the demo's postal callbacks go direct
            clock=clock,
            throttle=ThrottleSettings(pages=None, chat_lookups=None),
            zalo=ZaloWebhookSettings(secrets),
        )
        api = ZaloApiSettings(
            fake.app_id, fake.app_secret, fake.base_url, fake.base_url, zns_base=fake.base_url
        )
        parts = ZaloParts(store, desk, api, fake.oa_id, clock=clock, zns=DEMO_TEMPLATE)
        parts.tokens.save(fake.grant())  # what the console's API Explorer mints (§1.2)
        handlers = zalo_handlers(desk, base=inbox_handlers(desk))
        with LoopbackServer(app, **uvicorn_options()) as server:
            try:
                yield ZaloStage(fake, f"{server.url}/webhooks/zalo", parts, handlers)
            finally:
                parts.close()
