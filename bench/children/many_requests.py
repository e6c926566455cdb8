"""200 sequential GETs of one content item's polls, timed in-process (the loop only).

``pollsclient``: PollsClient.list_polls_body (its retry loop, error mapping and JSON check).
``httpx``: a bare httpx.AsyncClient loop doing the same GET and response.json().
Prints JSON: {"seconds": loop time, "requests": n}.
Usage: many_requests.py pollsclient|httpx ENDPOINT TOKEN WORKSPACE CONTENT [N]
"""

import asyncio
import json
import sys
import time


async def through_pollsclient(endpoint: str, token: str, workspace: str, content: str, n: int) -> float:
    from pollstui.api.address import ContentRef
    from pollstui.api.client import PollsClient

    ref = ContentRef.create("jira", workspace, content)
    async with PollsClient(endpoint, token) as client:
        start = time.perf_counter()
        for _ in range(n):
            await client.list_polls_body(ref)
        return time.perf_counter() - start


async def through_httpx(endpoint: str, token: str, workspace: str, content: str, n: int) -> float:
    import httpx

    params = {"token": token, "type": "polls", "workspace": workspace, "content": content}
    async with httpx.AsyncClient(timeout=10) as client:
        start = time.perf_counter()
        for _ in range(n):
            response = await client.get(endpoint, params=params)
            response.raise_for_status()
            response.json()
        return time.perf_counter() - start


if __name__ == "__main__":
    mode, endpoint, token, workspace, content = sys.argv[1:6]
    n = int(sys.argv[6]) if len(sys.argv) > 6 else 200
    run = through_pollsclient if mode == "pollsclient" else through_httpx
    print(json.dumps({"seconds": asyncio.run(run(endpoint, token, workspace, content, n)), "requests": n}))
