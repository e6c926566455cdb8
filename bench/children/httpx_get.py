"""The floor for any httpx-based CLI: one GET, print the body. Usage: httpx_get.py URL"""

import sys

import httpx

response = httpx.get(sys.argv[1])
response.raise_for_status()
sys.stdout.buffer.write(response.content)
