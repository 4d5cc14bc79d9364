"""python-gitlab (Debian's python3-gitlab 3.12) meets the jobs_index rate limit of
`gitlab-fake --gitlab latest --jobs-api-rate-limit 2 --clock manual`. Its waits are not slept: each
moves the fake's clock by as long through the control API, so that a wait of Retry-After seconds
takes the fake into its next minute at once. Prints what it saw as JSON, for
test/server/python-gitlab-latest.test.ts."""
import json
import sys
import urllib.request

import gitlab
import gitlab.client

url = sys.argv[1]
waits = []


def wait_on_the_fake(seconds):
    waits.append(seconds)
    request = urllib.request.Request(
        f"{url}/__fake/clock",
        data=json.dumps({"advance": f"{seconds}s"}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    urllib.request.urlopen(request).read()


gitlab.client.time.sleep = wait_on_the_fake
out = {}

gl = gitlab.Gitlab(url, private_token="maintainer-token")
project = gl.projects.get(1, lazy=True)

# Not obeying the rate limit, the 429 reaches the caller as GitLab sent it.
project.jobs.list(per_page=1)
project.jobs.list(per_page=1)
try:
    project.jobs.list(per_page=1, obey_rate_limit=False)
except gitlab.exceptions.GitlabListError as e:
    out["refused"] = [e.response_code, e.error_message]
out["waits_not_obeying"] = list(waits)

# By default, python-gitlab waits Retry-After and gets the list.
out["listed"] = [j.id for j in project.jobs.list(per_page=1)]
out["waits"] = waits

print(json.dumps(out))
