"""Live preview: build, serve output/ on http://localhost:8000, rebuild on every change.

`python -m newsdesk_build.serve [--port 8000] [-o output]`. Each rebuild is
atomic, so the server always serves a complete site: the previous one until a
rebuild succeeds. Each build runs in its own process (`python -m
newsdesk_build`): the build forks page writers, which must not inherit the
server's threads, and no state of one build outlives it. A missing page
answers 404 with the site's own 404.html, as the static hosts in the README
are set up to.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import subprocess
import sys
import threading
from pathlib import Path

from watchfiles import watch

WATCHED = ["content", "theme", "plugins", "pelicanconf.py"]


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Static files of the built site; its 404.html for a page that does not exist."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        """Answer 404 with the site's 404 page when it has one; else as the standard handler."""
        if code == 404:
            try:
                page = (Path(self.directory) / "404.html").read_bytes()
            except OSError:
                page = None
            if page is not None:
                self.send_response(404, message)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(page)
                return
        super().send_error(code, message, explain)


def serve_forever(output: Path, host: str, port: int) -> http.server.ThreadingHTTPServer:
    """Serve the output folder in a background thread and return the server."""
    handler = functools.partial(PreviewHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def build(settings: str, output: Path) -> int:
    """Build the site in a new process, as `make html` does; return its exit status."""
    command = [sys.executable, "-m", "newsdesk_build", "-s", settings, "-o", str(output)]
    return subprocess.run(command, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    """Build, serve and rebuild on change until interrupted."""
    parser = argparse.ArgumentParser(prog="newsdesk_build.serve", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default=8000, type=int)
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    parser.add_argument("-o", "--output", default="output", type=Path)
    args = parser.parse_args(argv)
    output = args.output
    build(args.settings, output)
    output.mkdir(exist_ok=True)
    serve_forever(output.resolve(), args.host, args.port)
    print(
        f"Serving {output}/ on http://localhost:{args.port}/ (Ctrl-C stops); "
        f"watching {', '.join(WATCHED)}"
    )
    try:
        for changes in watch(*[path for path in WATCHED if Path(path).exists()]):
            changed = sorted({Path(path).name for _, path in changes})
            print(f"changed: {', '.join(changed)}; rebuilding", flush=True)
            if build(args.settings, output) == 0:
                print("rebuilt", flush=True)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
