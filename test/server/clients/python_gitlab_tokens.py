"""Drives the standalone server with python-gitlab (Debian's python3-gitlab 3.12) using personal
access tokens of each kind and sudo, and prints what it saw as JSON, for
test/server/python-gitlab-tokens.test.ts to check.

usage: python_gitlab_tokens.py URL refusals|accepted
"""
import json
import sys

import gitlab

url, mode = sys.argv[1], sys.argv[2]


def client(token, **headers):
    gl = gitlab.Gitlab(url, private_token=token)
    gl.headers.update(headers)
    return gl


def project(gl):
    return gl.projects.get("foo/bar", lazy=True)


def refused(call):
    """The status, python-gitlab's error message and the body of a refused call."""
    try:
        call()
    except gitlab.exceptions.GitlabError as e:
        body = e.response_body.decode() if isinstance(e.response_body, bytes) else e.response_body
        return {
            "kind": type(e).__name__,
            "status": e.response_code,
            "message": e.error_message,
            "body": json.loads(body),
        }
    return None


out = {}
if mode == "refusals":
    read_api = project(client("read-api-token"))
    out["read_api_retry"] = refused(lambda: read_api.jobs.get(10, lazy=True).retry())
    out["read_api_cancel"] = refused(lambda: read_api.jobs.get(11, lazy=True).cancel())
    out["read_api_erase"] = refused(lambda: read_api.jobs.get(13, lazy=True).erase())
    out["read_api_play"] = refused(lambda: read_api.jobs.get(16, lazy=True).play())
    out["read_api_keep"] = refused(lambda: read_api.jobs.get(9, lazy=True).keep_artifacts())
    out["read_api_delete"] = refused(lambda: read_api.jobs.get(9, lazy=True).delete_artifacts())
    out["expired"] = refused(lambda: project(client("expired-token")).jobs.list())
    out["revoked"] = refused(lambda: project(client("revoked-token")).jobs.get(8))
    out["read_user"] = refused(lambda: project(client("read-user-token")).jobs.list())
    out["sudo_not_admin"] = refused(lambda: project(client("developer-token")).jobs.get(8, sudo="root"))
    out["sudo_no_scope"] = refused(lambda: project(client("root-token")).jobs.get(8, sudo="developer"))
    out["sudo_unknown"] = refused(lambda: project(client("sudo-token")).jobs.get(8, sudo="nobody"))
    out["sudo_reporter_retry"] = refused(
        lambda: project(client("sudo-token", Sudo="reporter")).jobs.get(10, lazy=True).retry()
    )
elif mode == "accepted":
    read_api = project(client("read-api-token"))
    out["read_api_list"] = [j.id for j in read_api.jobs.list(per_page=3)]
    out["read_api_job"] = read_api.jobs.get(8).name
    out["read_api_trace"] = "bundle exec rubocop" in read_api.jobs.get(8, lazy=True).trace().decode()
    out["read_api_archive"] = len(read_api.jobs.get(18, lazy=True).artifacts()) > 0
    # By username as a param (python-gitlab sends `sudo=` in the query), by id as the header.
    retried = project(client("sudo-token")).jobs.get(10, lazy=True).retry(sudo="developer")
    out["sudo_param_retry"] = retried["user"]["username"]
    out["sudo_header_job"] = project(client("sudo-token", Sudo="4")).jobs.get(8).name
    project(client("sudo-token", Sudo="maintainer")).jobs.get(16, lazy=True).play()
    out["sudo_header_play"] = project(client("maintainer-token")).jobs.get(16).status
print(json.dumps(out))
