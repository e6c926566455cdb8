"""The polls cache writes the server's own bytes when it can, and reads the same polls back."""

from __future__ import annotations

import json

from pollstui.api.address import ContentRef
from pollstui.session.cache import PollsCache

REF = ContentRef.create("jira", "PLAT", "PLAT-1")
POLLS = [{"id": "p1", "title": "Café ☕ \u202e"}, {"id": "p2", "title": "x", "options": []}]


def test_the_body_as_sent_is_read_back_as_the_same_polls(tmp_path):
    cache = PollsCache(tmp_path)
    body = json.dumps(POLLS, ensure_ascii=False, indent=1).encode("utf-8")
    cache.save(REF, POLLS, body=body)
    assert cache.load(REF).polls == POLLS


def test_a_byte_order_mark_or_another_encoding_still_gives_a_readable_cache(tmp_path):
    cache = PollsCache(tmp_path)
    for body in (b"\xef\xbb\xbf" + json.dumps(POLLS).encode(), json.dumps(POLLS).encode("utf-16")):
        cache.forget(REF)
        cache.save(REF, POLLS, body=body)
        assert cache.load(REF).polls == POLLS
