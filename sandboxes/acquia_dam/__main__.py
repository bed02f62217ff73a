"""python -m sandboxes.acquia_dam --port 5003 [--host 127.0.0.1] [--client-id ID] [--client-secret S]
[--username U] [--password P] [--token-lifetime 3600] [--default-thumbnail-ttl '+15 min'] [--https]
[--clamp-limit] [--upload-prefix both|/ws|none] [--max-age N] [--document-json]"""
import argparse

from ..common.serve import serve
from . import create_app
from .store import THUMBNAIL_TTLS, Config


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m sandboxes.acquia_dam", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--media-url", default="", metavar="ORIGIN",
                        help="the origin of its thumbnail URLs, where browsers reach it (default: the request's host)")
    parser.add_argument("--port", type=int, default=5003)
    defaults = Config()
    for name in ("client_id", "client_secret", "username", "password"):
        parser.add_argument("--" + name.replace("_", "-"), default=getattr(defaults, name),
                            help="the API seat's credentials the token endpoint accepts")
    parser.add_argument("--max-age", type=int, default=None,
                        help="list ACQUIA_DAM_EXPIRE_AFTER=N in the catalogue's credentials (the API sends no Cache-Control)")
    parser.add_argument("--token-lifetime", type=int, default=3600, help="expires_in of access tokens (s)")
    parser.add_argument("--default-thumbnail-ttl", default="+15 min", choices=list(THUMBNAIL_TTLS),
                        help="thumbnail_ttl when a request sends none ('Set by the account admin')")
    parser.add_argument("--https", action="store_true", help="https:// thumbnail and upload URLs")
    parser.add_argument("--clamp-limit", action="store_true", help="limit > 100 is clamped instead of a 400")
    parser.add_argument("--upload-prefix", default="both", choices=["both", "/ws", "none"],
                        help="where generateupload and finishupload live: /ws/awss3/..., /awss3/... or both")
    parser.add_argument("--document-json", action="store_true",
                        help="write asset thumbnailurls as the document's samples do: { {...}, ... } (not JSON)")
    args = parser.parse_args()
    config = Config(client_id=args.client_id, client_secret=args.client_secret, username=args.username,
                    password=args.password, max_age=args.max_age, token_lifetime=args.token_lifetime,
                    default_thumbnail_ttl=args.default_thumbnail_ttl, https=args.https, clamp_limit=args.clamp_limit,
                    upload_prefix="" if args.upload_prefix == "none" else args.upload_prefix,
                    document_json=args.document_json)

    serve(create_app(config), args.host, args.port,
          f"Acquia DAM (Classic, Webdam REST API v2) sandbox on http://{args.host}:{args.port}/", args.media_url)


if __name__ == "__main__":
    main()
