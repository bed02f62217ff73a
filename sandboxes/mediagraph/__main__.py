"""python -m sandboxes.mediagraph --port 5002 [--host 127.0.0.1] [--token mg-sandbox-pat]
[--organization-id 100] [--url-ttl 3600] [--processing-seconds 5] [--deliver] [--max-age N]"""
import argparse

from ..common.serve import serve
from . import Options, create_app


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m sandboxes.mediagraph", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--media-url", default="", metavar="ORIGIN",
                        help="the origin of its file URLs, where browsers reach it (default: the request's host)")
    parser.add_argument("--port", type=int, default=5002)
    parser.add_argument("--token", default=Options.token, help="the personal access token it accepts")
    parser.add_argument("--organization-id", type=int, default=Options.organization_id)
    parser.add_argument("--url-ttl", type=int, default=Options.url_ttl,
                        help="seconds a preview URL lives (0: unsigned, never expires)")
    parser.add_argument("--processing-seconds", type=float, default=Options.processing_seconds,
                        help="sandbox-clock seconds an uploaded asset takes to become processed")
    parser.add_argument("--deliver", action="store_true", help="POST webhook deliveries for real")
    parser.add_argument("--max-age", type=int, default=None,
                        help="Mediagraph sends no usable Cache-Control: the catalogue's credentials then tell "
                             "the service to keep answers this many seconds (MEDIAGRAPH_CACHE_SECONDS)")
    args = parser.parse_args()
    options = Options(token=args.token, organization_id=args.organization_id, url_ttl=args.url_ttl,
                      processing_seconds=args.processing_seconds, deliver=args.deliver,
                      max_age=args.max_age)

    serve(create_app(options), args.host, args.port,
          f"Mediagraph sandbox on http://{args.host}:{args.port}/ (organization {args.organization_id})", args.media_url)


if __name__ == "__main__":
    main()
