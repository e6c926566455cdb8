"""pollstui (headless, exit after the first list) with two marks: the response is in, the list is drawn.

The marks wrap PollsClient._send (returns once the body has been read) and App.exit (called by
first_list.py's hook after the list has been painted). Between them the app
decodes the JSON, builds the models, writes its polls cache, fills the table and paints.
Prints JSON: {"response_to_drawn": seconds}. Usage: scale_draw.py ENDPOINT TOKEN CONTENT
"""

import json
import sys
import time

from textual.app import App

import pollstui.api.client as client_module
from pollstui.cli import main
import first_list  # noqa: F401 - ends the app once the first list is painted

marks: dict[str, float] = {}
_send = client_module.PollsClient._send
_exit = App.exit


async def send(self, *args, **kwargs):
    response = await _send(self, *args, **kwargs)
    marks["response"] = time.perf_counter()
    return response


def exit_(self, *args, **kwargs):
    marks.setdefault("drawn", time.perf_counter())
    return _exit(self, *args, **kwargs)


client_module.PollsClient._send = send
App.exit = exit_

if __name__ == "__main__":
    endpoint, token, content = sys.argv[1:4]
    code = main(["--endpoint", endpoint, "--token", token, "--content", content])
    if code or "drawn" not in marks or "response" not in marks:
        sys.exit(f"no list was drawn (exit code {code}, marks {sorted(marks)})")
    print(json.dumps({"response_to_drawn": marks["drawn"] - marks["response"]}))
