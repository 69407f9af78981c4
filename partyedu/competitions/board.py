"""Live leaderboards whose reads cost O(top K), whatever the number of players.

With REDIS_URL configured, each session keeps a sorted set (ZINCRBY on every accepted answer, ZREVRANGE for the
top K) and a hash of names. The score packs the tie-break into one number: points × 10^9 − milliseconds, so
"more points, then less time" is the set's own order (exact in a double up to ~9·10^15: 60,000 points and
10^9 ms are far inside). Without Redis the same order is read from LivePlayer through the index
(session, total desc, total_ms) with LIMIT K. The database is always the record: Redis is a read copy that is
rebuilt from it when missing (`rebuild`).
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings

from .models import LivePlayer

SCALE = 1_000_000_000


@lru_cache(maxsize=4)
def _client(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def redis_client():
    url = getattr(settings, "REDIS_URL", "")
    return _client(url) if url else None


def _key(session_id: int) -> str:
    return f"partyedu:live:{session_id}:board"


def _names_key(session_id: int) -> str:
    return f"partyedu:live:{session_id}:names"


def packed(total: int, total_ms: int) -> float:
    return total * SCALE - total_ms


def on_join(session_id: int, player_id: int, name: str) -> None:
    client = redis_client()
    if client is None:
        return
    pipe = client.pipeline(transaction=False)
    pipe.hset(_names_key(session_id), str(player_id), name)
    pipe.zadd(_key(session_id), {str(player_id): 0}, nx=True)
    pipe.expire(_key(session_id), 7 * 86400)
    pipe.expire(_names_key(session_id), 7 * 86400)
    pipe.execute()


def on_answer(session_id: int, player_id: int, points: int, ms: int) -> None:
    client = redis_client()
    if client is None or not points:
        return
    client.zincrby(_key(session_id), packed(points, ms), str(player_id))


def rebuild(session_id: int) -> None:
    client = redis_client()
    if client is None:
        return
    rows = list(
        LivePlayer.objects.filter(session_id=session_id).values_list("pk", "name", "total", "total_ms")
    )
    pipe = client.pipeline()
    pipe.delete(_key(session_id), _names_key(session_id))
    if rows:
        pipe.zadd(_key(session_id), {str(pk): packed(total, ms) for pk, _, total, ms in rows})
        pipe.hset(_names_key(session_id), mapping={str(pk): name for pk, name, _, _ in rows})
    pipe.execute()


def ranked(rows: list[dict]) -> list[dict]:
    """Competition ranking (1, 2, 2, 4): equal points and equal time share a rank."""
    previous, rank = None, 0
    for index, row in enumerate(rows, start=1):
        key = (row["total"], row["total_ms"])
        if key != previous:
            rank, previous = index, key
        row["rank"] = rank
    return rows


def top(session_id: int, k: int) -> list[dict]:
    """The first k players: [{"player", "name", "total", "total_ms", "rank"}]. Ties share a rank; a tie that
    straddles the k-th place is cut at k (its rank is still right)."""
    client = redis_client()
    if client is not None:
        if not client.exists(_key(session_id)):
            rebuild(session_id)
        entries = client.zrevrange(_key(session_id), 0, k - 1, withscores=True)
        names = client.hmget(_names_key(session_id), [e[0] for e in entries]) if entries else []
        if any(n is None for n in names):  # players written without on_join (bulk): names from the database
            known = dict(
                LivePlayer.objects.filter(pk__in=[int(e[0]) for e in entries]).values_list("pk", "name")
            )
            names = [
                n if n is not None else known.get(int(e[0]), "").encode()
                for e, n in zip(entries, names, strict=True)
            ]
        rows = []
        for (player, score), name in zip(entries, names, strict=True):
            score = int(score)
            total = -(-score // SCALE) if score > 0 else 0
            rows.append(
                {
                    "player": int(player),
                    "name": (name or b"").decode(),
                    "total": total,
                    "total_ms": total * SCALE - score,
                }
            )
        return ranked(rows)
    rows = [
        {"player": pk, "name": name, "total": total, "total_ms": ms}
        for pk, name, total, ms in LivePlayer.objects.filter(session_id=session_id)
        .order_by("-total", "total_ms", "pk")
        .values_list("pk", "name", "total", "total_ms")[:k]
    ]
    return ranked(rows)


def rank_of(player: LivePlayer) -> int:
    return rank_at(player.session_id, player.total, player.total_ms)


def rank_at(session_id: int, total: int, total_ms: int) -> int:
    """1 + the players strictly ahead of these points and time (ZCOUNT with Redis, in the same round trip as
    the check that the set is there; else an index range count)."""
    client = redis_client()
    if client is not None:
        pipe = client.pipeline(transaction=False)
        pipe.exists(_key(session_id))
        pipe.zcount(_key(session_id), f"({packed(total, total_ms)}", "+inf")
        exists, ahead = pipe.execute()
        if exists:
            return 1 + ahead
    from django.db.models import Q

    ahead = LivePlayer.objects.filter(session_id=session_id).filter(
        Q(total__gt=total) | Q(total=total, total_ms__lt=total_ms)
    )
    return 1 + ahead.count()
