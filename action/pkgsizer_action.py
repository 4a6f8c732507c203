#!/usr/bin/env python3
"""The GitHub Action's logic (action.yml runs it), standard library only:

  pkgsizer_action.py install   print the pkgsizer binary to run, installing it first when the
                               runner has none: the wheel (or .deb) of a release of the
                               action's repository, from the GitHub API (GITHUB_API_URL)
  pkgsizer_action.py comment   the size change against the base (`compare --markdown`) and the
                               budget table (`check-budget --format markdown`): appended to the
                               job summary and posted as ONE pull-request comment, found again
                               by a hidden marker and updated on every later run

Inputs come as PKGSIZER_ACTION_* variables (action.yml maps them), never pasted into code.
"""

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

MARKER = "<!-- pkgsizer-size-report -->"
USER_AGENT = "pkgsizer-action"


def env(name, default=""):
    return os.environ.get(f"PKGSIZER_ACTION_{name}", default).strip()


def truthy(value):
    return value.lower() in ("true", "yes", "1", "on")


def fail(title, message, code=1):
    # A workflow command: an error annotation with a title (% and newlines escaped).
    escaped = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    print(f"::error title={title}::{escaped}", flush=True)
    sys.exit(code)


# ---------------------------------------------------------------------------------------------
# The GitHub REST API


class Api:
    def __init__(self, token):
        self.base = os.environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
        self.token = token

    def request(self, method, path, body=None, accept="application/vnd.github+json"):
        url = path if path.startswith(("http://", "https://")) else self.base + path
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Accept", accept)
        request.add_header("User-Agent", USER_AGENT)
        request.add_header("X-GitHub-Api-Version", "2022-11-28")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                payload = response.read()
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"{method} {url}: HTTP {error.code} {error.reason}") from None
        except urllib.error.URLError as error:
            raise RuntimeError(f"{method} {url}: {error.reason}") from None
        if accept == "application/octet-stream":
            return payload
        return json.loads(payload) if payload else None


# ---------------------------------------------------------------------------------------------
# install


def release_path(repository, version):
    """The release the action names: its tag (v0.2.0 or 0.2.0 as the action's ref), else the
    latest release."""
    if re.fullmatch(r"v?\d+(\.\d+)*", version or ""):
        return f"/repos/{repository}/releases/tags/{urllib.parse.quote(version)}"
    return f"/repos/{repository}/releases/latest"


def pick_asset(assets, kind):
    """The wheel (manylinux, this machine's architecture) or .deb (this architecture) asset."""
    machine = platform.machine()
    deb_arch = {"x86_64": "amd64", "aarch64": "arm64"}.get(machine, machine)
    for asset in assets:
        name = asset.get("name", "")
        if kind == "wheel" and re.fullmatch(rf"pkgsizer-[^-]+-py3-none-.*linux[^-]*_{machine}\.whl", name):
            return asset
        if kind == "deb" and re.fullmatch(rf"pkgsizer_[^_]+_{deb_arch}\.deb", name):
            return asset
    return None


def download(asset, directory):
    """A release asset by its public download address: no token is sent to the storage host
    it redirects to."""
    path = os.path.join(directory, os.path.basename(asset["name"]))
    request = urllib.request.Request(asset["browser_download_url"], headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=300) as response, open(path, "wb") as out:
        shutil.copyfileobj(response, out)
    return path


def install_wheel(wheel, prefix):
    """A venv of its own (only pip in it, from ensurepip), with the wheel installed from the
    file: nothing is fetched from an index."""
    subprocess.run([sys.executable, "-m", "venv", prefix], check=True, stdout=sys.stderr)
    subprocess.run([os.path.join(prefix, "bin", "python"), "-m", "pip", "install", "--no-index",
                    "--no-deps", "--disable-pip-version-check", wheel], check=True, stdout=sys.stderr)
    return os.path.join(prefix, "bin", "pkgsizer")


def build_from_source(directory):
    """install: build — the action's own checkout, built with CMake; ccache's directory is what
    action.yml caches between runs (actions/cache)."""
    source = os.environ.get("GITHUB_ACTION_PATH") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run(sudo + [os.path.join(source, "scripts", "install-deps.sh")], check=True, stdout=sys.stderr)
    subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "ccache"], check=True, stdout=sys.stderr)
    build = os.path.join(directory, "pkgsizer-build")
    subprocess.run(["cmake", "-S", source, "-B", build, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                    "-DPKGSIZER_BUILD_TESTS=OFF", "-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"],
                   check=True, stdout=sys.stderr)
    subprocess.run(["cmake", "--build", build, "--target", "pkgsizer"], check=True, stdout=sys.stderr)
    return os.path.join(build, "pkgsizer")


def install_deb(deb):
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    # apt-get installs the Depends: of the package from the runner's archive.
    subprocess.run(sudo + ["apt-get", "install", "-y", "--no-install-recommends", deb], check=True,
                   stdout=sys.stderr)
    return "/usr/bin/pkgsizer"


def install():
    binary = env("BIN", "pkgsizer")
    found = shutil.which(binary)
    if found:
        print(found)
        return
    mode = env("INSTALL", "auto")
    # Only the default name is installed: a binary the workflow named must be there.
    if mode == "none" or binary != "pkgsizer":
        fail("pkgsizer not found",
             f"'{binary}' is not on PATH: install or build pkgsizer in an earlier step, or set "
             "the pkgsizer input", 127)
    directory = os.environ.get("RUNNER_TEMP") or tempfile.gettempdir()
    if mode == "build":
        try:
            print(build_from_source(directory))
        except (subprocess.CalledProcessError, OSError) as error:
            fail("pkgsizer not built", str(error))
        return
    kind = "deb" if mode == "deb" else "wheel"
    repository = env("REPOSITORY") or os.environ.get("GITHUB_ACTION_REPOSITORY", "")
    if not repository:
        fail("pkgsizer not installed", "no repository to download pkgsizer from (the repository input)")
    api = Api(env("TOKEN"))
    try:
        release = api.request("GET", release_path(repository, env("VERSION")))
        asset = pick_asset(release.get("assets", []), kind)
        if asset is None:
            fail("pkgsizer not installed",
                 f"release {release.get('tag_name', '?')} of {repository} has no {kind} for "
                 f"{platform.machine()}; use install: build")
        path = download(asset, directory)
        if kind == "deb":
            installed = install_deb(path)
        else:
            installed = install_wheel(path, os.path.join(directory, "pkgsizer-venv"))
    except (RuntimeError, subprocess.CalledProcessError, OSError, urllib.error.URLError) as error:
        fail("pkgsizer not installed", str(error))
    print(f"Installed pkgsizer from {asset['name']} ({release.get('tag_name', '')})", file=sys.stderr)
    print(installed)


# ---------------------------------------------------------------------------------------------
# comment


def environment_args():
    args = []
    for name, option in (("VENV", "--venv"), ("PYTHON", "--python"), ("SITE_PACKAGES", "--site-packages")):
        if env(name):
            args += [option, env(name)]
    return args


def after_side():
    """compare's B: the environment the action checks."""
    if env("VENV"):
        return [env("VENV")]
    if env("SITE_PACKAGES"):
        return [env("SITE_PACKAGES")]
    if env("PYTHON"):
        return ["--python-b", env("PYTHON")]
    if os.environ.get("VIRTUAL_ENV"):
        return [os.environ["VIRTUAL_ENV"]]
    return ["--python-b", "python3"]


def run_markdown(argv):
    proc = subprocess.run(argv, capture_output=True, text=True)
    sys.stderr.write(proc.stderr)
    return proc.returncode, proc.stdout


def compose(binary):
    """The comment's Markdown: the marker, the size change, the budget table."""
    parts = [MARKER, "## pkgsizer: environment size", ""]
    base = env("COMPARE_TO")
    if base:
        code, text = run_markdown([binary, "compare", base] + after_side() + ["--markdown", "-"])
        parts.append(text.strip() if code in (0, 1) else
                     f"_pkgsizer compare failed (exit {code}): see the job log._")
    else:
        parts.append("_No base to compare with: set the `compare-to` input._")
    parts.append("")
    budget = [binary, "check-budget", "--format", "markdown"] + environment_args()
    if env("BUDGET_FILE"):
        budget += ["--config", env("BUDGET_FILE")]
    if env("BASELINE"):
        budget += ["--baseline", env("BASELINE")]
    code, text = run_markdown(budget)
    if code in (0, 1):
        parts.append(text.strip())
    parts.append("")
    return "\n".join(parts)


def pull_request_number():
    if env("PR_NUMBER"):
        return int(env("PR_NUMBER"))
    event_path = os.environ.get("GITHUB_EVENT_PATH", "")
    if event_path and os.path.isfile(event_path):
        with open(event_path, encoding="utf-8") as event_file:
            event = json.load(event_file)
        number = (event.get("pull_request") or {}).get("number") or event.get("number")
        if number:
            return int(number)
    return None


def find_comment(api, repository, number):
    """The action's earlier comment on the pull request (its body holds MARKER), if any."""
    page = 1
    while True:
        comments = api.request("GET", f"/repos/{repository}/issues/{number}/comments"
                                      f"?per_page=100&page={page}")
        for comment in comments:
            if MARKER in (comment.get("body") or ""):
                return comment
        if len(comments) < 100:
            return None
        page += 1


def post_or_update(api, repository, number, body):
    existing = find_comment(api, repository, number)
    if existing:
        api.request("PATCH", f"/repos/{repository}/issues/comments/{existing['id']}", {"body": body})
        return "updated", existing["id"]
    created = api.request("POST", f"/repos/{repository}/issues/{number}/comments", {"body": body})
    return "posted", created.get("id")


def comment():
    binary = env("BIN_RESOLVED") or env("BIN", "pkgsizer")
    body = compose(binary)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as out:
            out.write(body.replace(MARKER + "\n", "") + "\n")
    number = pull_request_number()
    repository = os.environ.get("GITHUB_REPOSITORY", "")
    if number is None or not repository:
        print("::notice title=pkgsizer::not a pull request: the size report is in the job summary only")
        return
    try:
        action, comment_id = post_or_update(Api(env("TOKEN")), repository, number, body)
    except RuntimeError as error:
        # Forks get a read-only token: the summary still has the report.
        print(f"::warning title=pkgsizer comment not posted::{error}")
        return
    print(f"pkgsizer: {action} comment {comment_id} on pull request #{number}")


def main(argv):
    if argv[1:] == ["install"]:
        install()
    elif argv[1:] == ["comment"]:
        comment()
    else:
        print("usage: pkgsizer_action.py install|comment", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
