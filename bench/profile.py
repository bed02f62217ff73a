"""`python -m bench.profile [--wsgi]`: where a cached answer's CPU goes, with cProfile.

Starts a throwaway Redis and the Olapic sandbox, builds the app as gunicorn would, fills the memo
with the bench's cached pages, then calls the app's WSGI entry point directly (no server, no socket)
for each page, and prints the top of the profile sorted by cumulative time.
"""
import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time

import redis

from gallery.embedded import start_redis
from tests.support import sandboxes
from tests.support.processes import stop

from .run import CACHED


def call(app, target):
    path, _, query = target.partition("?")
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "127.0.0.1",
               "SERVER_PORT": "5000", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
               "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr, "HTTP_HOST": "127.0.0.1:5000",
               "HTTP_ORIGIN": "https://shop.example", "wsgi.multithread": True, "wsgi.multiprocess": True,
               "wsgi.run_once": False, "wsgi.version": (1, 0)}
    status = []
    body = b"".join(app(environ, lambda s, h, exc_info=None: status.append(s)))
    assert status[0].startswith("200"), status
    return body


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000, help="per page (default 3000)")
    parser.add_argument("--top", type=int, default=35)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gallery-profile-") as tmp:
        redis_url = start_redis(os.path.join(tmp, "redis"))
        sandbox, proc = sandboxes.start()
        try:
            os.environ.update(REDIS_URL=redis_url, OLAPIC_API_URL=sandbox)
            os.environ.pop("OLAPIC_API_KEY", None)
            import gallery

            app = gallery.create_app()
            for _, target in CACHED:  # the first request starts the memo's listener; then it keeps
                call(app, target)
                time.sleep(0.5)
                call(app, target)
            for _, target in CACHED:
                profile = cProfile.Profile()
                started = time.process_time()
                profile.enable()
                for _ in range(args.requests):
                    call(app, target)
                profile.disable()
                cpu = (time.process_time() - started) / args.requests * 1e6
                print(f"\n{target}: {cpu:.0f} us CPU per request under the profiler")
                pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)
        finally:
            stop(proc)
            redis.Redis.from_url(redis_url).shutdown(nosave=True)  # before its directory goes


if __name__ == "__main__":
    main()
