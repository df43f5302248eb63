"""The real client address of a request, trusting forwarded headers only from our own proxies.

``X-Forwarded-For`` is written by every hop, and by the client itself: only the hops our
proxies appended can be believed. Starting from the connection address, walk the header
right to left while the hop is a trusted proxy (``TRUSTED_PROXIES``); the first address
that is not one of ours is the client. With no trusted proxies the header is ignored.
"""

from __future__ import annotations

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@cache
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(settings.TRUSTED_PROXIES))


def _address(value: str) -> Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:443"
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _is_trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_ip_from(remote_addr: str | None, forwarded_for: str | None) -> str:
    """The right-most address that is not a trusted proxy ("" if the connection address is unusable)."""
    networks = trusted_networks()
    client = _address(remote_addr or "")
    if client is None:
        return ""
    hops = [hop for hop in (forwarded_for or "").split(",") if hop.strip()]
    while networks and _is_trusted(client, networks) and hops:
        previous = _address(hops.pop())
        if previous is None:  # a garbled hop: stop at the last proxy we trust
            break
        client = previous
    return str(client)


def client_ip(request: HttpRequest) -> str:
    """The real client address of ``request`` (see the module docstring)."""
    return client_ip_from(request.META.get("REMOTE_ADDR"), request.META.get("HTTP_X_FORWARDED_FOR"))
