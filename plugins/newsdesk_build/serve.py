"""Live preview: build, serve output/ on http://localhost:8000, rebuild on every change.

`python -m newsdesk_build.serve [--port 8000]`. Each rebuild is atomic, so the
server always serves a complete site: the previous one until a rebuild succeeds.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import threading
from pathlib import Path

from watchfiles import watch

from newsdesk_build.__main__ import main as build

WATCHED = ["content", "theme", "plugins", "pelicanconf.py"]


def serve_forever(output: Path, host: str, port: int) -> http.server.ThreadingHTTPServer:
    """Serve the output folder in a background thread and return the server."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> int:
    """Build, serve and rebuild on change until interrupted."""
    parser = argparse.ArgumentParser(prog="newsdesk_build.serve", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default=8000, type=int)
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    args = parser.parse_args(argv)
    output = Path("output")
    build(["-s", args.settings, "-o", str(output)])
    output.mkdir(exist_ok=True)
    serve_forever(output.resolve(), args.host, args.port)
    print(f"Serving http://localhost:{args.port}/ (Ctrl-C stops); watching {', '.join(WATCHED)}")
    try:
        for changes in watch(*[path for path in WATCHED if Path(path).exists()]):
            changed = sorted({Path(path).name for _, path in changes})
            print(f"changed: {', '.join(changed)}; rebuilding", flush=True)
            if build(["-s", args.settings, "-o", str(output)]) == 0:
                print("rebuilt", flush=True)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
