"""Who the client is: REMOTE_ADDR, or behind TRUSTED_PROXIES reverse proxies the address the
outermost of them saw.

Each proxy appends the address it received the request from to X-Forwarded-For (nginx:
`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for`), so with N trusted proxies the
N-th entry from the right is the client as the first of them saw it; the entries left of it
were sent by the client and may be anything. django-axes (AXES_CLIENT_IP_CALLABLE) and the
password-reset limit ask this function.
"""

from ipaddress import ip_address

from django.conf import settings


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote  # not through all the proxies: the connection's own address
    candidate = forwarded[-proxies]
    try:
        return str(ip_address(candidate))
    except ValueError:
        return remote
