"""Links the service hands out, from its canonical origin: never from a host a client chose.

Answers are publicly cacheable, so a link built from the request's Host (or X-Forwarded-Host) would
let one client write a host of its choice into what a CDN then serves everyone. Absolute and
protocol-relative links therefore come from PUBLIC_URL. Without it, in sandbox mode the request's
host is used when it is a loopback or LAN address (a developer's machine); otherwise links are
path-only, which every client resolves against the URL it asked.
"""
import ipaddress
from urllib.parse import urlsplit

from flask import current_app, request


def origin():
    """"https://ugc.shop.example", or "" when links must be path-only."""
    configured = current_app.config["PUBLIC_URL"]
    if configured:
        return configured
    if current_app.config["SANDBOX_MODE"] and _local(urlsplit("//" + request.host).hostname or ""):
        return request.host_url.rstrip("/")
    return ""


def absolute(path):
    """`path` ("/api/v1/uploads/x") as an absolute URL, or as it is when there is no origin."""
    return origin() + path


def protocol_relative(path):
    """`path` as "//host/path", as Olapic writes its links, or as it is when there is no origin."""
    base = origin()
    return f"//{urlsplit(base).netloc}{path}" if base else path


def _local(hostname):
    if hostname == "localhost" or hostname.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(hostname)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local
