"""Memo hits served before Flask's dispatch: a thin WSGI layer in front of the app.

A fresh answer kept in the memo (memo.py) is the same bytes whoever asks, so a GET for it needs none
of Flask's request handling. The front matches the request against the app's own URL map (as Flask
binds it), builds the memo's key as the memoised view does (the rule's endpoint, its decoded
arguments, the query parsed as werkzeug parses request.args: never the raw strings), and answers a
hit with what Flask's path would send: the caching headers and 304 (caching.py), CORS (cors.py),
nosniff, the request log line and the metrics. Anything else goes on to Flask untouched.
"""
import time
from urllib.parse import parse_qsl

from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_etags

from .. import requestlog
from ..media import observe
from .caching import cache_control
from .cors import origin_headers
from .memo import memo_key

_HIT = {"cache": "hit", "upstream_calls": 0}
ROUTES_KEPT = 4096  # (path, query) pairs whose route and memo key are remembered; all forgotten when full


class MemoFront:
    def __init__(self, app, wsgi_app):
        self.next, self.config, self.url_map = wsgi_app, app.config, app.url_map
        self.answers = app.extensions["rendered_answers"]
        self.memoised = {endpoint for endpoint, view in app.view_functions.items() if getattr(view, "memoized", False)}
        self.prefixes = tuple({rule.rule.split("<")[0] for rule in app.url_map.iter_rules()
                               if rule.endpoint in self.memoised})
        self._routes = {}
        # With these at their defaults a route depends on the path alone, so matching it once per path
        # and query is exact; with either set (or TRUSTED_HOSTS, checked while binding) Flask answers all.
        self.active = (app.config["TRUSTED_HOSTS"] is None and app.config["SERVER_NAME"] is None
                       and not app.url_map.host_matching)

    def __call__(self, environ, start_response):
        if (not self.active or environ["REQUEST_METHOD"] != "GET"
                or not environ.get("PATH_INFO", "").startswith(self.prefixes)):
            return self.next(environ, start_response)
        started = time.perf_counter()
        found = self._route(environ)
        kept = self.answers.get(found[1]) if found else None
        if kept is None:
            return self.next(environ, start_response)
        body, etag, max_age, usable_for = kept
        observe.count("answer_memo_hits_total")
        observe.note_cache("hit")
        headers = [("Cache-Control", cache_control(self.config, max_age, usable_for)), ("ETag", f'"{etag}"')]
        sent = environ.get("HTTP_IF_NONE_MATCH")
        if sent is not None and parse_etags(sent).contains_weak(etag):
            status, body = 304, b""
        else:
            status = 200
            headers += [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        headers.append(("Vary", "Origin"))
        headers += origin_headers(environ.get("HTTP_ORIGIN"), self.config["CORS_ORIGINS"])
        headers.append(("X-Content-Type-Options", "nosniff"))
        start_response("200 OK" if status == 200 else "304 NOT MODIFIED", headers)
        requestlog.write("GET", found[0], status, time.perf_counter() - started, _HIT)
        return [body]

    def _route(self, environ):
        """(URL rule, memo key) of a memoised route, else None: the rule matched as Flask binds it, the
        key built as the memoised view builds it. Remembered per raw path and query, of which it is a
        pure function here (see `active`), so a repeat costs a dict lookup."""
        raw = (environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""))
        found = self._routes.get(raw, False)
        if found is not False:
            return found
        try:
            rule, view_args = self.url_map.bind_to_environ(environ, subdomain=self.url_map.default_subdomain or "") \
                .match(return_rule=True)
        except HTTPException:
            found = None
        else:  # the query as werkzeug parses request.args
            query = parse_qsl(raw[1].encode("latin1").decode(), keep_blank_values=True, errors="werkzeug.url_quote")
            found = (rule.rule, memo_key(rule.endpoint, view_args, query)) if rule.endpoint in self.memoised else None
        if len(self._routes) >= ROUTES_KEPT:
            self._routes.clear()
        self._routes[raw] = found
        return found
