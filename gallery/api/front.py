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


class MemoFront:
    def __init__(self, app, wsgi_app):
        self.next, self.config, self.url_map = wsgi_app, app.config, app.url_map
        self.answers = app.extensions["rendered_answers"]
        self.memoised = {endpoint for endpoint, view in app.view_functions.items() if getattr(view, "memoized", False)}
        # Flask checks TRUSTED_HOSTS while binding; with it set, every request takes Flask's path.
        self.active = app.config["TRUSTED_HOSTS"] is None

    def __call__(self, environ, start_response):
        if not self.active or environ["REQUEST_METHOD"] != "GET":
            return self.next(environ, start_response)
        started = time.perf_counter()
        try:  # bound as Flask's create_url_adapter binds it
            adapter = self.url_map.bind_to_environ(environ, server_name=self.config["SERVER_NAME"],
                                                   subdomain=self.url_map.default_subdomain or "")
            rule, view_args = adapter.match(return_rule=True)
        except HTTPException:
            return self.next(environ, start_response)
        if rule.endpoint not in self.memoised:
            return self.next(environ, start_response)
        query = parse_qsl(environ.get("QUERY_STRING", "").encode("latin1").decode(), keep_blank_values=True,
                          errors="werkzeug.url_quote")
        kept = self.answers.get(memo_key(rule.endpoint, view_args, query))
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
        requestlog.write("GET", rule.rule, status, time.perf_counter() - started, _HIT)
        return [body]
