"""The doors of the web form: sessions that expire, password attempts throttled, requests from this page only.

Everything here is plain bookkeeping on a clock the caller passes in, so the rules are tested without waiting.
"""

from __future__ import annotations

import hmac
import ipaddress
import math
import secrets
from collections import OrderedDict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class Sessions:
    """Session tokens with an idle and an absolute lifetime (seconds). At most `capacity` are kept: without a
    password every new browser gets one, and a stranger sending requests without cookies must not fill memory
    — the oldest is dropped first."""

    idle: float = 2 * 3600
    lifetime: float = 12 * 3600
    capacity: int = 10_000
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    _tokens: OrderedDict[str, tuple[float, float]] = field(default_factory=OrderedDict)  # token → (start, last)

    def new(self, now: float) -> str:
        token = secrets.token_urlsafe(24)
        self._tokens[token] = (now, now)
        while len(self._tokens) > self.capacity:
            self._tokens.popitem(last=False)
        return token

    def valid(self, token: str | None, now: float) -> bool:
        """Whether `token` is a live session; a live one is kept alive by this use."""
        times = self._tokens.get(token or "")
        if times is None:
            return False
        start, last = times
        if now - last > self.idle or now - start > self.lifetime:
            del self._tokens[token or ""]
            return False
        self._tokens[token or ""] = (start, now)
        self._tokens.move_to_end(token or "")
        return True

    def new_unlisted(self) -> str:
        """A token that proves itself (a random part and its MAC), kept nowhere: without a password a session
        only ties the CSRF token to a browser, and strangers sending cookie-less requests must neither fill
        memory nor push the clerk's session out of the table."""
        nonce = secrets.token_urlsafe(18)
        return f"{nonce}.{hmac.new(self.secret, nonce.encode(), 'sha256').hexdigest()[:32]}"

    def unlisted_valid(self, token: str | None) -> bool:
        nonce, _, mac = (token or "").partition(".")
        expected = hmac.new(self.secret, nonce.encode(), "sha256").hexdigest()[:32]
        return bool(nonce) and hmac.compare_digest(mac.encode("utf-8", "replace"), expected.encode())

    def end(self, token: str | None) -> None:
        self._tokens.pop(token or "", None)

    def csrf(self, token: str) -> str:
        """The CSRF token of a session: derived, so there is nothing more to store."""
        return hmac.new(self.secret, token.encode(), "sha256").hexdigest()

    def csrf_matches(self, token: str, sent: str) -> bool:
        return hmac.compare_digest(sent.encode("utf-8", "replace"), self.csrf(token).encode("utf-8"))


@dataclass
class Throttle:
    """Wrong passwords slow down whoever sends them: after `free` failures from one client each further one
    doubles that client's wait (from `base` seconds up to `ceiling`); failures from all clients together past
    `overall` within `window` seconds close the door for everyone for `lockout` seconds, so many addresses
    cannot share out a guessing run (kept short: a stranger can also close it on the clerk). A right password
    after the wait clears the client's count."""

    free: int = 5
    base: float = 1.0
    ceiling: float = 300.0
    overall: int = 100
    window: float = 600.0
    lockout: float = 60.0
    capacity: int = 10_000
    _clients: OrderedDict[str, tuple[int, float]] = field(default_factory=OrderedDict)  # client → (failures, until)
    _recent: list[float] = field(default_factory=list)  # times of failures from anyone
    _closed_until: float = 0.0

    def wait(self, client: str, now: float) -> int:
        """Seconds `client` must wait before a password is looked at (0: now)."""
        until = max(self._clients.get(client, (0, 0.0))[1], self._closed_until)
        return max(0, math.ceil(until - now))

    def failed(self, client: str, now: float) -> None:
        failures = self._clients.pop(client, (0, 0.0))[0] + 1
        delay = 0.0 if failures <= self.free else min(self.ceiling, self.base * 2 ** (failures - self.free - 1))
        self._clients[client] = (failures, now + delay)
        while len(self._clients) > self.capacity:
            self._clients.popitem(last=False)
        self._recent = [moment for moment in self._recent if now - moment < self.window] + [now]
        if len(self._recent) > self.overall:
            self._closed_until = now + self.lockout
            self._recent.clear()

    def succeeded(self, client: str) -> None:
        self._clients.pop(client, None)


def origin_of(scheme: str, host: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of a URL's scheme and its host[:port] part, ports made explicit."""
    scheme = scheme.lower()
    try:
        parts = urlsplit(f"{scheme}://{host}")
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:
        return None
    if not parts.hostname or port is None:
        return None
    return scheme, parts.hostname.lower(), port


def same_origin(origin: str | None, scheme: str, host: str) -> bool:
    """Whether a request's Origin header names this server (scheme, host and port). A request without one is
    let through (older browsers and same-origin GETs send none; the CSRF token still guards every change)."""
    if origin is None:
        return True
    sent_scheme, _, rest = origin.partition("://")
    if not rest or "/" in rest:
        return False  # "null" (a sandboxed frame, a file: page) and anything that is not scheme://host[:port]
    ours = origin_of(scheme, host)
    return ours is not None and origin_of(sent_scheme, rest) == ours
