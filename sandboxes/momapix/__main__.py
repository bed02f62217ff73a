"""python -m sandboxes.momapix --port 5004 [--host 127.0.0.1] [--api-key K] [--password P] [--expires-in 604800]
[--thumb-box 150] [--preview-box 640] [--signed-urls SECONDS] [--upload-section public] [--cache-seconds N]
[--media-url ORIGIN]"""
import argparse

from ..common.serve import serve
from . import API_KEY, create_app
from .catalogue import PASSWORD, USERNAME


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m sandboxes.momapix", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--media-url", default="", metavar="ORIGIN",
                        help="origin of the media files' URLs, e.g. http://192.168.1.20:5001 for a LAN demo "
                             "(default: the host each request came to)")
    parser.add_argument("--port", type=int, default=5004)
    parser.add_argument("--api-key", default=API_KEY)
    parser.add_argument("--password", default=PASSWORD, help=f"password of the seeded user {USERNAME}")
    parser.add_argument("--expires-in", type=int, default=604800, help="session lifetime (ExpiresIn), seconds")
    parser.add_argument("--thumb-box", type=int, default=150, help="url_thumb_m fits inside this many px")
    parser.add_argument("--preview-box", type=int, default=640, help="url_thumb_l fits inside this many px")
    parser.add_argument("--signed-urls", type=int, default=0, metavar="SECONDS",
                        help="sign rendition URLs, valid this long (0: plain URLs that never expire)")
    parser.add_argument("--upload-section", default="public", choices=("public", "private"),
                        help="section of an upload that names none")
    parser.add_argument("--cache-seconds", type=int, default=0, metavar="SECONDS",
                        help="MomaPIX sends no Cache-Control: have the catalogue's credentials tell the service "
                             "to keep answers this long (MOMAPIX_CACHE_SECONDS; 0: the service's default)")
    args = parser.parse_args()

    app = create_app(args.api_key, args.password, args.expires_in, args.thumb_box, args.preview_box,
                     args.signed_urls, args.upload_section, args.cache_seconds)
    serve(app, args.host, args.port, f"MomaPIX sandbox on http://{args.host}:{args.port}/ (user {USERNAME})", args.media_url)


if __name__ == "__main__":
    main()
