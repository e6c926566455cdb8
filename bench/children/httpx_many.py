"""The floor for an overview: the polls of N content items with httpx, K requests in flight.

Usage: httpx_many.py ENDPOINT TOKEN WORKSPACE CONCURRENCY CONTENT…
One AsyncClient (one pool), a semaphore of CONCURRENCY, one GET per content item (with results,
as pollstui asks); prints {"polls": [{"item", "poll"}]} in the items' order.
"""

import asyncio
import json
import sys

import httpx


async def main(endpoint: str, token: str, workspace: str, concurrency: int, contents: list[str]) -> None:
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient() as client:

        async def one(content: str) -> list:
            params = {"token": token, "type": "polls", "workspace": workspace, "content": content, "expand": "results"}
            async with gate:
                response = await client.get(endpoint, params=params)
            response.raise_for_status()
            return response.json()

        lists = await asyncio.gather(*(one(content) for content in contents))
    polls = [{"item": content, "poll": poll} for content, got in zip(contents, lists) for poll in got]
    sys.stdout.write(json.dumps({"polls": polls}))


if __name__ == "__main__":
    endpoint, token, workspace, concurrency, *contents = sys.argv[1:]
    asyncio.run(main(endpoint, token, workspace, int(concurrency), contents))
