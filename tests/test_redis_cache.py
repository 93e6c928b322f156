"""The shared cache of production (CACHE_URL=redis://…) works with the client in requirements.txt.

Needs the Redis server at 127.0.0.1:6379 (CI and this machine run one; .ci/run sets
REQUIRE_REDIS=1 so that a missing server fails there instead of skipping).
"""

import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings


def redis_up() -> bool:
    """Is the Redis server at 127.0.0.1:6379 answering (also asked by tests/test_two_servers.py)?"""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(
    not redis_up() and not os.environ.get("REQUIRE_REDIS"), reason="no Redis server at 127.0.0.1:6379"
)

SCRIPT = (
    "import django; django.setup()\n"
    "from django.core.cache import cache\n"
    "cache.set('ita-redis-check', 'ข้อมูลภาษาไทย', 30)\n"
    "from django.core.cache import caches\n"
    "print(type(caches['default']).__name__, cache.get('ita-redis-check'))\n"
    "cache.delete('ita-redis-check')\n"
)


def test_the_redis_cache_url_gives_a_working_shared_cache():
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env |= {"DJANGO_SETTINGS_MODULE": "ita_portal.settings", "CACHE_URL": "redis://127.0.0.1:6379/14"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "RedisCache ข้อมูลภาษาไทย"
