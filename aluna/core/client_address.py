"""The address a request comes from, which nobody can forge with a header.

`REMOTE_ADDR` is the peer of the TCP connection. Only when that peer is one of
our own reverse proxies (settings.TRUSTED_PROXIES: addresses or networks) is
X-Forwarded-For read, from the right: each trusted proxy appends the address it
received the request from, so the first hop from the right that is not one of
ours is the client. Whatever a client writes into the header itself lands to
the left of that hop and is never used.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

_Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _parse(raw: str) -> _Address | None:
    try:
        return ipaddress.ip_address(raw.strip())
    except ValueError:
        return None


def _trusted_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(item, strict=False) for item in settings.TRUSTED_PROXIES]


def client_address(request: HttpRequest) -> str | None:
    """The client's address as text, or None when the connection has none."""
    peer = _parse(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return None
    trusted = _trusted_networks()

    def is_trusted(address: _Address) -> bool:
        return any(address in network for network in trusted)

    if not is_trusted(peer):
        return str(peer)
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    client = peer
    for raw in reversed(hops):
        hop = _parse(raw)
        if hop is None:
            # A mangled entry: the last hop we could vouch for is all we know.
            break
        client = hop
        if not is_trusted(hop):
            break
    return str(client)


def address_range(address: str | None) -> str:
    """The network an address belongs to, /24 for IPv4 and /48 for IPv6: enough
    to recognise "the office" or "a phone network", never the address itself."""
    parsed = _parse(address or "")
    if parsed is None:
        return ""
    prefix = 24 if parsed.version == 4 else 48
    return str(ipaddress.ip_network(f"{parsed}/{prefix}", strict=False))
