"""A Hugging Face Hub-compatible file server for tests, on 127.0.0.1.

It answers the routes the real `huggingface_hub` client uses for hf_hub_download, snapshot_download, create_repo and
create_commit (what CommitScheduler calls), for models and, under datasets/, for datasets:
  HEAD/GET /[datasets/]{repo}/resolve/{revision}/{file}   with X-Repo-Commit, ETag, Content-Length (Range on GET)
  GET /api/{models|datasets}/{repo}/revision/{revision}  repo info: sha + siblings
  GET /api/{models|datasets}/{repo}/tree/{revision}      the file listing of a commit
  POST /api/repos/create                                  a new empty repo (409 when it exists)
  POST /api/{models|datasets}/{repo}/preupload/{revision} every file as a regular (not LFS) upload
  POST /api/{models|datasets}/{repo}/commit/{revision}    the NDJSON commit: a header, then base64 files
  GET /{owner}/{repo}/releases/download/{tag}/{file}      a GitHub release asset (GENART_GITHUB_URL points here too)
Repos are in memory: each commit is a dict of file name -> bytes; branches point at commits. A dataset's repo id is
kept as "datasets/{repo}".
"""
import base64
import hashlib
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlparse


class HubRepos:
    def __init__(self):
        self.commits: dict[str, dict[str, dict[str, bytes]]] = {}  # repo -> commit sha -> files
        self.branches: dict[str, dict[str, str]] = {}  # repo -> branch -> commit sha
        self.requests: list[str] = []
        self.releases: dict[str, bytes] = {}  # "owner/repo/releases/download/tag/file" -> bytes

    def commit(self, repo_id: str, files: dict[str, bytes], branch: str = "main", sha: str | None = None) -> str:
        """A new commit (at `sha`, for a registry model pinned to one) that `branch` then points at."""
        sha = sha or hashlib.sha1(repr((repo_id, len(self.commits.get(repo_id, {})), sorted(files.items())))
                                  .encode()).hexdigest()
        self.commits.setdefault(repo_id, {})[sha] = dict(files)
        self.branches.setdefault(repo_id, {})[branch] = sha
        return sha

    def lookup(self, repo_id: str, revision: str) -> tuple[str, dict[str, bytes]] | None:
        commits = self.commits.get(repo_id)
        if commits is None:
            return None
        sha = self.branches[repo_id].get(revision, revision)
        return (sha, commits[sha]) if sha in commits else None


def kept_as(kind: str, repo_id: str) -> str:
    """A repo's key here: the id for a model, datasets/{id} for a dataset."""
    return repo_id if kind == "models" else f"datasets/{repo_id}"


class Handler(BaseHTTPRequestHandler):
    repos: HubRepos

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.route(send_body=False)

    def do_GET(self):
        self.route(send_body=True)

    def route(self, send_body: bool):
        path = unquote(urlparse(self.path).path)
        self.repos.requests.append(f"{self.command} {path}")
        if (asset := self.repos.releases.get(path.lstrip("/"))) is not None:
            return self.release_asset(asset, send_body)
        if m := re.fullmatch(r"/api/(models|datasets)/([^/]+/[^/]+)/revision/(.+)", path):
            return self.repo_info(kept_as(m[1], m[2]), m[3])
        if m := re.fullmatch(r"/api/(models|datasets)/([^/]+/[^/]+)/tree/([^/]+)(/.*)?", path):
            return self.tree(kept_as(m[1], m[2]), m[3])
        if m := re.fullmatch(r"/((?:datasets/)?[^/]+/[^/]+)/resolve/([^/]+)/(.+)", path):
            return self.resolve(m[1], m[2], m[3], send_body)
        self.error(404, "RepoNotFound", "no such route")

    def do_POST(self):
        path = unquote(urlparse(self.path).path)
        self.repos.requests.append(f"POST {path}")
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if path == "/api/repos/create":
            return self.create_repo(json.loads(body))
        if m := re.fullmatch(r"/api/(models|datasets)/([^/]+/[^/]+)/preupload/(.+)", path):
            files = json.loads(body)["files"]
            return self.json({"files": [{"path": f["path"], "uploadMode": "regular", "shouldIgnore": False}
                                        for f in files]}, "")
        if m := re.fullmatch(r"/api/(models|datasets)/([^/]+/[^/]+)/commit/(.+)", path):
            return self.create_commit(kept_as(m[1], m[2]), m[3], body)
        self.error(404, "RepoNotFound", "no such route")

    def create_repo(self, payload: dict):
        name = f"{payload['organization']}/{payload['name']}" if payload.get("organization") else payload["name"]
        repo_id = kept_as(f"{payload.get('type') or 'model'}s", name)
        url = f"http://{self.headers['Host']}/{repo_id}"
        if repo_id in self.repos.commits:  # the Hub's answer names the repo too, which create_repo(exist_ok) reads
            return self.error(409, "RepoExists", f"{repo_id} already exists", {"url": url})
        self.repos.commit(repo_id, {})
        self.json({"url": url, "name": name}, "")

    def create_commit(self, repo_id: str, revision: str, body: bytes):
        if (hit := self.found(repo_id, revision)) is None:
            return
        files = dict(hit[1])
        for line in body.decode().splitlines():
            item = json.loads(line)
            if item["key"] == "file":
                files[item["value"]["path"]] = base64.b64decode(item["value"]["content"])
        sha = self.repos.commit(repo_id, files, branch=revision)
        self.json({"commitUrl": f"http://{self.headers['Host']}/{repo_id}/commit/{sha}", "commitOid": sha,
                   "pullRequestUrl": None}, sha)

    def found(self, repo_id: str, revision: str):
        hit = self.repos.lookup(repo_id, revision)
        if hit is None:
            code = "RevisionNotFound" if repo_id in self.repos.commits else "RepoNotFound"
            self.error(404, code, f"{repo_id}@{revision} not found")
        return hit

    def repo_info(self, repo_id: str, revision: str):
        if hit := self.found(repo_id, revision):
            sha, files = hit
            self.json({"id": repo_id, "modelId": repo_id, "sha": sha, "private": False,
                       "siblings": [{"rfilename": name} for name in files]}, sha)

    def tree(self, repo_id: str, revision: str):
        if hit := self.found(repo_id, revision):
            sha, files = hit
            entries = [{"type": "file", "path": name, "size": len(data), "oid": hashlib.sha1(data).hexdigest(),
                        "lfs": {"oid": hashlib.sha256(data).hexdigest(), "size": len(data), "pointerSize": 134}}
                       for name, data in files.items()]
            self.json(entries, sha)

    def resolve(self, repo_id: str, revision: str, filename: str, send_body: bool):
        hit = self.found(repo_id, revision)
        if not hit:
            return
        sha, files = hit
        if filename not in files:
            return self.error(404, "EntryNotFound", f"{filename} not in {repo_id}@{sha}")
        data = files[filename]
        start = 0
        if m := re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range", "")):
            start = int(m[1])
        self.send_response(206 if start else 200)
        self.send_header("X-Repo-Commit", sha)
        self.send_header("ETag", f'"{hashlib.sha256(data).hexdigest()}"')
        self.send_header("Content-Length", str(len(data) - start))
        self.send_header("Content-Type", "application/octet-stream")
        self.end_headers()
        if send_body:
            self.wfile.write(data[start:])

    def release_asset(self, body: bytes, send_body: bool):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def json(self, payload, sha: str):
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Repo-Commit", sha)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def error(self, status: int, code: str, message: str, extra: dict | None = None):
        body = json.dumps({"error": message} | (extra or {})).encode()
        self.send_response(status)
        self.send_header("X-Error-Code", code)
        self.send_header("X-Error-Message", message)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class HubServer:
    """Start with .start(); .url is the HF_ENDPOINT to use; .stop() makes the Hub unreachable."""

    def __init__(self, repos: HubRepos | None = None, port: int = 0):
        self.repos = repos or HubRepos()
        handler = type("BoundHandler", (Handler,), {"repos": self.repos})
        ThreadingHTTPServer.allow_reuse_address = True
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> "HubServer":
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
