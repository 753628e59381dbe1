"""The client's address behind a reverse proxy, trusting ``X-Forwarded-For`` only from the
proxies listed in ``CIMON_TRUSTED_PROXIES`` (issue #14). Used by the login lockout
(:mod:`cimon.web.accounts.lockout`) and the audit log; no models, so settings can import it."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str | Iterable[str] | None) -> tuple[Network, ...]:
    """``"127.0.0.1, 10.0.0.0/8"`` (or a list of such items) as networks. A ValueError names
    an item that is neither an address nor a network."""
    if text is None:
        return ()
    items = text.replace(";", ",").split(",") if isinstance(text, str) else list(text)
    out = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        try:
            out.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(
                f"CIMON_TRUSTED_PROXIES: “{item}”不是 IP 地址或网段 / '{item}' is not an IP "
                "address or network"
            ) from None
    return tuple(out)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(addr: Any, networks: tuple[Network, ...]) -> bool:
    return addr is not None and any(addr in n for n in networks)


def forwarded_client(remote: str, forwarded: str, trusted: tuple[Network, ...]) -> str:
    """The client's address: ``remote`` (the TCP peer) unless it is a trusted proxy, in which
    case ``forwarded`` (``X-Forwarded-For``) is read from the right, skipping further trusted
    proxies; the first address that is not trusted is the client. A malformed entry stops the
    walk at the last trusted hop (nothing to the left of it can be believed)."""
    peer = _address(remote)
    if peer is None:
        return remote
    if not _trusted(peer, trusted) or not forwarded.strip():
        return str(peer)
    client = peer
    for item in reversed(forwarded.split(",")):
        addr = _address(item)
        if addr is None:
            break
        client = addr
        if not _trusted(addr, trusted):
            break
    return str(client)


def client_ip(request: Any) -> str:
    """The client address of ``request`` for the lockout and the audit log
    (``AXES_CLIENT_IP_CALLABLE``); see :func:`forwarded_client`."""
    meta = getattr(request, "META", {})
    return forwarded_client(
        str(meta.get("REMOTE_ADDR", "")),
        str(meta.get("HTTP_X_FORWARDED_FOR", "")),
        settings.CIMON_TRUSTED_PROXIES,
    )
