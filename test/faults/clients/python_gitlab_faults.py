"""python-gitlab 3.12 reads job 8 of foo/bar through the fake, with or without retrying
transient errors, and prints what it got as JSON."""

import json
import sys

import gitlab

url, mode = sys.argv[1], sys.argv[2]
gl = gitlab.Gitlab(url, private_token="maintainer-token", retry_transient_errors=(mode == "transient"))
try:
    job = gl.projects.get("foo/bar", lazy=True).jobs.get(8)
    print(json.dumps({"id": job.id, "status": job.status}))
except gitlab.GitlabError as error:
    print(json.dumps({"error": error.response_code}))
