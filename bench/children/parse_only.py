"""The scale baseline: the time to parse the list alone, as the app does (json.loads, then
pollstui.api.models.parse_poll_list), once, in a fresh process whose models are already imported
(as the app's are when the response arrives). Prints JSON: {"parse": seconds, "polls": n}.
Usage: parse_only.py BODY.json
"""

import json
import sys
import time

from pollstui.api.models import parse_poll_list

with open(sys.argv[1], "rb") as file:
    body = file.read()
start = time.perf_counter()
polls = parse_poll_list(json.loads(body))
elapsed = time.perf_counter() - start
print(json.dumps({"parse": elapsed, "polls": len(polls)}))
