"""The scale baseline: the time to parse the list alone into pollstui's models (json.loads, then
one pydantic validation of the array as list[Poll]), once, in a fresh process whose models are
already imported; and, beside it, the app's own reading (json.loads, then
pollstui.api.listing.read_poll_listing, views of the JSON, no models).
Prints JSON: {"parse": seconds, "read": seconds, "polls": n}. Usage: parse_only.py BODY.json
"""

import json
import sys
import time

from pydantic import TypeAdapter

from pollstui.api.listing import read_poll_listing
from pollstui.api.models import Poll

poll_list = TypeAdapter(list[Poll])

with open(sys.argv[1], "rb") as file:
    body = file.read()
start = time.perf_counter()
polls = poll_list.validate_python(json.loads(body))
parse = time.perf_counter() - start
start = time.perf_counter()
read = read_poll_listing(json.loads(body))
elapsed = time.perf_counter() - start
assert len(read.polls) == len(polls)
print(json.dumps({"parse": parse, "read": elapsed, "polls": len(polls)}))
