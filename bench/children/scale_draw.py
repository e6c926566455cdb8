"""pollstui (headless, exit after the first list) with two marks: the response is in, the list is drawn.

The response mark is set when the body is in the app's hands: Session._list_raw returns (read
from the server, or the request sent at process start, awaited), or the main screen finds that
request's answer already in (Prefetch.answer: the list is then shown with no loading state).
The drawn mark wraps App.exit (called by first_list.py's
hook after the list has been painted). Between them the app decodes the JSON, builds the models,
writes its polls cache, fills the table and paints.
Prints JSON: {"response_to_drawn": seconds}. Usage: scale_draw.py ENDPOINT TOKEN CONTENT
"""

import json
import sys
import time

from textual.app import App

import first_list
from pollstui.cli import main
from pollstui.session.prefetch import Prefetch
from pollstui.session.session import Session

sys.meta_path.insert(0, first_list.Hook())  # ends the app once the first list is painted

marks: dict[str, float] = {}
_list_raw = Session._list_raw
_exit = App.exit
_answer = Prefetch.answer


async def list_raw(self, *args, **kwargs):
    body = await _list_raw(self, *args, **kwargs)
    marks.setdefault("response", time.perf_counter())
    return body


def answer(self, *args, **kwargs):
    found = _answer(self, *args, **kwargs)
    if found is not None:
        marks.setdefault("response", time.perf_counter())
    return found


def exit_(self, *args, **kwargs):
    marks.setdefault("drawn", time.perf_counter())
    return _exit(self, *args, **kwargs)


Session._list_raw = list_raw
Prefetch.answer = answer
App.exit = exit_

if __name__ == "__main__":
    endpoint, token, content = sys.argv[1:4]
    code = main(["--endpoint", endpoint, "--token", token, "--content", content])
    if code or "drawn" not in marks or "response" not in marks:
        sys.exit(f"no list was drawn (exit code {code}, marks {sorted(marks)})")
    print(json.dumps({"response_to_drawn": marks["drawn"] - marks["response"]}))
