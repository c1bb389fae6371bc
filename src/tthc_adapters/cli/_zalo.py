"""``tthc zalo broadcast|stats``: news to the OA's followers, and the figures reports need.

* ``broadcast``: create an article on the OA (``/v2.0/article/create``, then
  ``verify`` for its id; reference zalo-oa.md §1.6), record it, and queue its
  broadcast in the outbox — the worker sends it, never between 22:00 and
  06:00 Vietnam time (:mod:`tthc_adapters.zalo._quiet`).
* ``stats``: count the followers and each recorded article's views through the
  OA API, store them (migration 0010), and print them with the delivery
  statuses of our messages and the citizens' ratings.

Both read ``TTHC_ZALO_*`` (docs/zalo.md) and the database (``--url`` or
``TTHC_DATABASE_URL``), where the token pair and the shared rate bucket live.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import time
from collections.abc import Iterator
from typing import Any

from tthc_adapters.bootstrap import system_clock
from tthc_adapters.storage import open_store
from tthc_core.errors import InvalidInput
from tthc_core.storage import OutboundMessage


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``zalo`` and its sub-commands."""
    parser = subparsers.add_parser("zalo", help="Zalo OA broadcasts and statistics")
    commands = parser.add_subparsers(dest="zalo_command", required=True)
    broadcast = commands.add_parser("broadcast", help="create an article and queue its broadcast")
    broadcast.add_argument("--title", required=True)
    broadcast.add_argument("--text", required=True, help="the article's body")
    broadcast.add_argument("--author", default="Bộ phận Một cửa")
    broadcast.add_argument("--description", default="")
    broadcast.set_defaults(handler=run_broadcast)
    stats = commands.add_parser("stats", help="collect followers and article views; print them")
    stats.add_argument("--json", action="store_true", help="print JSON")
    stats.set_defaults(handler=run_stats)
    for sub in (broadcast, stats):
        sub.add_argument("--url", help="the database (default: env TTHC_DATABASE_URL)")


@contextlib.contextmanager
def _parts(args: argparse.Namespace) -> Iterator[tuple[Any, Any, Any]]:
    """The store, the OA client and the ledger."""
    from tthc_adapters.zalo import (
        Ledger,
        OaClient,
        SqlRateLimiter,
        ZaloConfig,
        memory_side,
        sql_side_for,
        token_store_for,
    )

    config = ZaloConfig.from_env(os.environ)
    if config is None:
        raise InvalidInput("Zalo is not configured: set TTHC_ZALO_APP_ID and the others")
    store = open_store(args.url, clock=system_clock)
    try:
        side = sql_side_for(store)
        tokens = token_store_for(store, config.webhook.secrets.oa_id)
        limiter = None if side is None else SqlRateLimiter(side, config.rate, clock=system_clock)
        client = OaClient(config.api, tokens, clock=system_clock, limiter=limiter)
        try:
            yield store, client, Ledger(side or memory_side())
        finally:
            client.close()
    finally:
        store.close()


def run_broadcast(args: argparse.Namespace) -> int:
    """Create the article, record it, queue the broadcast."""
    from tthc_adapters.zalo import Article, ZaloApiError

    with _parts(args) as (store, client, ledger):
        token = client.create_article(args.title, args.author, args.description, args.text)
        article_id = ""
        for _ in range(10):  # creation is asynchronous on Zalo's side (§1.6)
            try:
                article_id = client.verify_article(token)
                break
            except ZaloApiError:
                time.sleep(1)
        if not article_id:
            raise InvalidInput(f"Zalo has not finished the article yet; verify token {token} later")
        ledger.article(Article(article_id, args.title, system_clock()))
        message = OutboundMessage(
            f"broadcast:{article_id}", "zalo", {"kind": "broadcast", "article_id": article_id}
        )
        with store.unit_of_work() as uow:
            uow.outbox.put(message)
            uow.commit()
    print(f"article {article_id} created; its broadcast is queued (sent 06:00–22:00)")
    return 0


def run_stats(args: argparse.Namespace) -> int:
    """Collect, store and print the figures."""
    import attrs

    with _parts(args) as (_, client, ledger):
        now = system_clock()
        followers = client.follower_total()
        ledger.followers(followers, now)
        for article in ledger.articles():
            views = client.article_views(article.article_id)
            ledger.article(attrs.evolve(article, views=views, views_at=now))
        articles = ledger.articles()
        statuses = ledger.statuses()
    figures = {
        "followers": followers,
        "articles": [
            {
                "id": a.article_id,
                "title": a.title,
                "views": a.views,
                "broadcast": a.broadcast_at is not None,
            }
            for a in articles
        ],
        "messages": {"sent": statuses.sent, "received": statuses.received, "seen": statuses.seen},
        "ratings": {"count": statuses.ratings, "average": statuses.average_rating},
    }
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return 0
    print(f"Người quan tâm (followers): {followers}")
    for a in articles:
        print(f"  Bài viết {a.article_id} — {a.title}: {a.views} lượt xem")
    print(
        f"Tin nhắn: {statuses.sent} đã gửi, {statuses.received} đã nhận, {statuses.seen} đã xem; "
        f"đánh giá: {statuses.ratings} (trung bình {statuses.average_rating or '—'})"
    )
    return 0
