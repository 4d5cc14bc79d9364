"""Drives `gitlab-fake --gitlab latest` with python-gitlab (Debian's python3-gitlab 3.12) and
prints what it saw as JSON, for test/server/python-gitlab-latest.test.ts to check."""
import io
import json
import sys
import zipfile

import gitlab

url = sys.argv[1]
gl = gitlab.Gitlab(url, private_token="maintainer-token")
project = gl.projects.get("foo/bar", lazy=True)
out = {}

# Lists: one page and what it says of the whole; every page (following Link); keyset; a
# scope; a pipeline's jobs.
page = project.jobs.list(per_page=5, iterator=True)
out["page"] = [j["id"] for j in page._list._data]
out["page_info"] = {
    "total": page.total,
    "total_pages": page.total_pages,
    "next_page": page.next_page,
    "per_page": page.per_page,
}
out["all"] = [j.id for j in project.jobs.list(per_page=4, get_all=True)]
keyset = project.jobs.list(pagination="keyset", order_by="id", per_page=4, iterator=True)
out["keyset_next"] = keyset._list._next_url
out["keyset"] = [j.id for j in keyset]
out["failed"] = [j.id for j in project.jobs.list(scope=["failed"], get_all=True)]
out["pipeline"] = [j.id for j in project.pipelines.get(6, lazy=True).jobs.list(get_all=True)]

job = project.jobs.get(7)
out["job"] = {
    "id": job.id,
    "ref": job.ref,
    "failure_reason": job.failure_reason,
    "tag_list": job.tag_list,
    "runner": job.runner["id"],
    "pipeline_source": job.pipeline["source"],
    "web_url": job.web_url,
}
out["trace"] = project.jobs.get(8, lazy=True).trace().decode()

# Actions.
retried = project.jobs.get(10, lazy=True).retry()
out["retry"] = [retried["status"], retried["id"], retried["user"]["username"]]
try:
    project.jobs.get(10, lazy=True).retry()
except gitlab.exceptions.GitlabJobRetryError as e:
    out["retry_again"] = [e.response_code, e.error_message]
out["cancel"] = project.jobs.get(11, lazy=True).cancel()["status"]
project.jobs.get(16, lazy=True).play()
played = project.jobs.get(16)
out["played"] = [played.status, played.user["username"]]
project.jobs.get(13, lazy=True).erase()
out["erased"] = [project.jobs.get(13, lazy=True).trace().decode(), project.jobs.get(13).erased_at is not None]

# Artifacts.
archive = zipfile.ZipFile(io.BytesIO(project.jobs.get(18, lazy=True).artifacts()))
out["archive"] = sorted(archive.namelist())
out["file"] = project.jobs.get(18, lazy=True).artifact("dist/app.js").decode()
by_ref = zipfile.ZipFile(io.BytesIO(project.artifacts.download(ref_name="main", job="build")))
out["by_ref"] = sorted(by_ref.namelist())
out["raw"] = project.artifacts.raw("main", "dist/index.html", "build").decode()
project.jobs.get(9, lazy=True).keep_artifacts()
out["kept"] = project.jobs.get(9).artifacts_expire_at
project.jobs.get(9, lazy=True).delete_artifacts()
# `artifacts` is a method of ProjectJob in python-gitlab; the attribute is read by name.
out["after_delete"] = [a["file_type"] for a in project.jobs.get(9).attributes["artifacts"]]

# Today's routes: a pipeline's trigger jobs (the deprecated /bridges python-gitlab 3.12 knows),
# and the expiry of a project's artifacts.
out["bridges"] = [b.id for b in project.pipelines.get(6, lazy=True).bridges.list(get_all=True)]
project.artifacts.delete()
out["project_artifacts_deleted"] = True

# Refusals.
try:
    project.jobs.get(9999)
except gitlab.exceptions.GitlabGetError as e:
    out["missing"] = [e.response_code, e.error_message]
try:
    project.jobs.list(per_page=0)
except gitlab.exceptions.GitlabListError as e:
    out["per_page_0"] = [e.response_code, e.error_message]
try:
    project.jobs.get(9, lazy=True).play()
except gitlab.exceptions.GitlabJobPlayError as e:
    out["unplayable"] = [e.response_code, e.error_message]

print(json.dumps(out))
