"""No MomaPIX credential (the Apikey, the password, the session token) in answers, logs or Redis
outside the token's own entries."""
import json
import logging

import pytest
import requests

from gallery.media.models import NotFound, UpstreamError

from tests.support.sources import walk

from .conftest import sessions

TOKEN_KEYS = (b"gallery:token:momapix", b"gallery:token:momapix:last")


def test_credentials_stay_out_of_answers_logs_and_redis(make_source, momapix, mpx_catalogue, rdb, caplog):
    caplog.set_level(logging.DEBUG)  # urllib3 and requests-cache included
    source = make_source()
    catalogue = source.catalogue
    answers = [catalogue.product("acme-anvil-50lb").value, walk(catalogue, "test-251-media"),
               catalogue.medium("2241780.3").value, source.probe().checks[0].message]
    for tag_key, failing in (("test-100-media", {"status": 500}), ("test-250-media", {"body": "malformed"}),
                             ("test-520-media", {"status": 429, "headers": {"Retry-After": "2"}})):
        lb = mpx_catalogue["products"][tag_key]["id"]
        requests.post(momapix + "/_sandbox/faults", json={"path_prefix": f"/rest/lightbox/{lb}/", "count": 1, **failing},
                      timeout=10)
        with pytest.raises((UpstreamError, NotFound)) as err:
            catalogue.product_media(tag_key, "recent", 10, {})
        answers.append(str(err.value))
    requests.post(momapix + "/_sandbox/sessions/expire", timeout=10)
    answers.append(walk(catalogue, "test-1-media"))
    tokens = [s["token"] for s in sessions(momapix)["sessions"]]
    assert len(tokens) == 2
    secrets = [mpx_catalogue["credentials"]["MOMAPIX_API_KEY"], mpx_catalogue["credentials"]["MOMAPIX_PASSWORD"],
               *tokens]

    text = json.dumps(answers) + "\n".join(r.getMessage() for r in caplog.records)
    for key in rdb.scan_iter():
        if key in TOKEN_KEYS:
            continue
        kind = rdb.type(key)
        if kind == b"string":
            text += key.decode() + rdb.get(key).decode("latin-1")
        elif kind == b"hash":
            text += key.decode() + json.dumps({k.decode("latin-1"): v.decode("latin-1")
                                               for k, v in rdb.hgetall(key).items()})
        elif kind == b"set":
            text += key.decode() + " ".join(m.decode("latin-1") for m in rdb.smembers(key))
    for secret in secrets:
        assert secret not in text
    assert rdb.get(TOKEN_KEYS[0]).decode() == tokens[-1]  # the one place the token lives
