"""No Acquia DAM credential (the client secret, the password, access and refresh tokens) in answers,
logs, upload records or Redis outside the tokens' own entries, nor in the upstream's request log."""
import json
import logging

import pytest

from gallery.media.models import NotFound, UpstreamError
from gallery.sources.acquia_dam.oauth import REFRESH_KEY
from tests.support import sandboxes

from tests.support.sources import walk

from .conftest import expire_tokens
from .test_uploads import Steps, an_upload

TOKEN_KEYS = (b"gallery:token:acquia_dam", REFRESH_KEY.encode())


def test_credentials_stay_out_of_answers_logs_and_redis(make_source, acquia, ad_catalogue, rdb, caplog):
    caplog.set_level(logging.DEBUG)  # urllib3 and requests-cache included
    source = make_source()
    catalogue = source.catalogue
    tokens = set()

    def held():
        tokens.update(t.decode() for t in [rdb.get(TOKEN_KEYS[0]), *rdb.hvals(REFRESH_KEY)] if t)

    answers = [catalogue.product("acme-anvil-50lb").value, walk(catalogue, "test-101-media"),
               catalogue.medium("3456001").value, source.probe().checks[0].message]
    held()
    for tag_key, failing in (("test-100-media", {"status": 500}), ("test-50-media", {"body": "malformed"}),
                             ("test-520-media", {"status": 429, "headers": {"Retry-After": "2"}})):
        folder = ad_catalogue["products"][tag_key]["id"]
        sandboxes.fault(acquia, path_prefix=f"/folders/{folder}/", count=1, **failing)
        with pytest.raises((UpstreamError, NotFound)) as err:
            catalogue.product_media(tag_key, "recent", 10, {})
        answers.append(str(err.value))
    expire_tokens(acquia)  # a refresh grant
    answers.append(walk(catalogue, "test-1-media"))
    held()
    expire_tokens(acquia, refresh=True)  # a refused refresh, then the password grant
    answers.append(walk(catalogue, "test-51-media"))
    held()
    steps = Steps()
    answers.append(source.submissions.deliver(an_upload("leak1"), steps))
    answers.append(steps.values)
    assert source.changes() == []
    held()
    assert len(tokens) >= 6  # three access tokens and three refresh tokens
    secrets = [ad_catalogue["credentials"]["ACQUIA_DAM_CLIENT_SECRET"],
               ad_catalogue["credentials"]["ACQUIA_DAM_PASSWORD"], *tokens]

    text = json.dumps(answers) + "\n".join(r.getMessage() for r in caplog.records)
    text += json.dumps(sandboxes.requests_log(acquia))
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
    assert "gallery:http" in text  # the cache was scanned
    for secret in secrets:
        assert secret not in text
    assert "Signature" not in json.dumps(steps.values)  # the presigned URL is never recorded
