"""python -m sandboxes.olapic --port 5001 [--host 127.0.0.1] [--api-key sandbox] [--max-age 600]
[--shapes real|reference] [--shard-links] [--media-url ORIGIN]"""
import argparse

from ..common.serve import serve
from . import create_app


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m sandboxes.olapic", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--media-url", default="", metavar="ORIGIN",
                        help="origin of the media files' URLs, e.g. http://192.168.1.20:5001 for a LAN demo "
                             "(default: the host each request came to)")
    parser.add_argument("--port", type=int, default=5001)
    parser.add_argument("--api-key", default="sandbox")
    parser.add_argument("--max-age", type=int, default=600, help="Cache-Control max-age of 200 responses")
    parser.add_argument("--shapes", choices=("real", "reference"), default="real",
                        help="answer as the real API does (default) or with the reference's literal shapes")
    parser.add_argument("--shard-links", action="store_true",
                        help="API hrefs on Olapic's shard hosts (z1-z4photorankapi-a.akamaihd.net, forms on "
                             "rest.photorank.me), which resolve nowhere: clients must follow them by path")
    args = parser.parse_args()

    app = create_app(args.api_key, args.max_age, args.shapes, args.shard_links)
    serve(app, args.host, args.port, f"Olapic sandbox on http://{args.host}:{args.port}/ (api key {args.api_key!r})", args.media_url)


if __name__ == "__main__":
    main()
