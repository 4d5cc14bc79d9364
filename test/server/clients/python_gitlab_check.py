"""Drives the standalone server with python-gitlab (Debian's python3-gitlab 3.12) and prints
what it saw as JSON, for test/server/python-gitlab.test.ts to check."""
import io
import json
import sys
import zipfile

import gitlab

url = sys.argv[1]
gl = gitlab.Gitlab(url, private_token="maintainer-token")
project = gl.projects.get("foo/bar", lazy=True)
out = {}

# Lists: one page, every page (following Link), a scope, a pipeline's jobs.
out["page"] = [j.id for j in project.jobs.list(per_page=5)]
out["all"] = [j.id for j in project.jobs.list(per_page=4, get_all=True)]
out["failed"] = [j.id for j in project.jobs.list(scope=["failed"], get_all=True)]
out["pipeline"] = [j.id for j in project.pipelines.get(6, lazy=True).jobs.list(get_all=True)]

job = project.jobs.get(8)
out["job"] = {"id": job.id, "name": job.name, "status": job.status, "web_url": job.web_url}
out["trace"] = job.trace().decode()

# Actions.
out["retry"] = project.jobs.get(10, lazy=True).retry()["status"]
out["cancel"] = project.jobs.get(11, lazy=True).cancel()["status"]
project.jobs.get(16, lazy=True).play()
out["played"] = project.jobs.get(16).status
project.jobs.get(13, lazy=True).erase()
out["erased_trace"] = project.jobs.get(13, lazy=True).trace().decode()

# Artifacts.
archive = zipfile.ZipFile(io.BytesIO(project.jobs.get(18, lazy=True).artifacts()))
out["archive"] = sorted(archive.namelist())
out["file"] = project.jobs.get(18, lazy=True).artifact("dist/app.js").decode()
by_ref = zipfile.ZipFile(io.BytesIO(project.artifacts.download(ref_name="master", job="build")))
out["by_ref"] = sorted(by_ref.namelist())
out["raw"] = project.artifacts.raw("master", "dist/index.html", "build").decode()
project.jobs.get(9, lazy=True).keep_artifacts()
project.jobs.get(9, lazy=True).delete_artifacts()
# `artifacts` is a method of ProjectJob in python-gitlab; the attribute is read by name.
out["after_delete"] = [a["file_type"] for a in project.jobs.get(9).attributes["artifacts"]]

# Errors.
try:
    project.jobs.get(9999)
except gitlab.exceptions.GitlabGetError as e:
    out["missing"] = [e.response_code, e.error_message]
try:
    project.jobs.get(12, lazy=True).retry()
except gitlab.exceptions.GitlabJobRetryError as e:
    out["not_retryable"] = [e.response_code, e.error_message]

print(json.dumps(out))
