"""A real terminal for the tests of full-screen views: tmux on a socket of its own (one server
per test process, killed at the end), keys sent with send-keys, the screen read with
capture-pane -p. A module using it ends it with `tearDownModule = stop_tmux_server`.
"""

import atexit
import os
import shutil
import subprocess
import time

SOCKET = f"pkgsizer-test-{os.getpid()}"
_server_started = False


def tmux(*args, check=True):
    if not shutil.which("tmux"):
        # CI installs tmux (scripts/install-deps.sh): a missing tmux is a failure, not a skip.
        raise AssertionError("tmux not found: install Debian's tmux (scripts/install-deps.sh)")
    return subprocess.run(["tmux", "-L", SOCKET, "-f", "/dev/null"] + list(args), check=check,
                          capture_output=True, text=True, timeout=20)


def start_tmux_server():
    """One server for the process: a session that stays keeps it up between the tests (a server
    whose last session closes exits, and a test starting right then would race its exit)."""
    global _server_started
    if not _server_started:
        tmux("new-session", "-d", "-s", "keep", "sleep 600")
        _server_started = True
        atexit.register(stop_tmux_server)


def stop_tmux_server():
    global _server_started
    if _server_started:
        tmux("kill-server", check=False)
        _server_started = False


class Terminal:
    """One tmux session running one command (and then telling its exit code: "EXIT=N")."""

    def __init__(self, name, command, width=100, height=30):
        start_tmux_server()
        self.name = name
        tmux("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height),
             command + '; echo "EXIT=$?"; sleep 60')

    def screen(self):
        return tmux("capture-pane", "-p", "-t", self.name).stdout.split("\n")

    def wait_for(self, predicate, what, timeout=20):
        """Polls the screen until predicate(lines) holds; returns those lines."""
        deadline = time.monotonic() + timeout
        while True:
            lines = self.screen()
            if predicate(lines):
                return lines
            if time.monotonic() > deadline:
                raise AssertionError(f"the screen never showed {what}:\n" + "\n".join(lines))
            time.sleep(0.05)

    def wait_text(self, text, timeout=20):
        return self.wait_for(lambda lines: any(text in line for line in lines), repr(text), timeout)

    def keys(self, *keys):
        tmux("send-keys", "-t", self.name, *keys)

    def resize(self, width, height):
        tmux("resize-window", "-t", self.name, "-x", str(width), "-y", str(height))

    def display(self, format_string):
        return tmux("display-message", "-p", "-t", self.name, format_string).stdout

    def close(self):
        tmux("kill-session", "-t", self.name, check=False)
