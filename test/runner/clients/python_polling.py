"""Retries a failed job with python-gitlab (Debian's python3-gitlab 3.12), polls until it
finishes, reads the trace and downloads the artifacts; prints what it saw as JSON.

usage: python_polling.py URL MODE JOB_ID
  MODE clock:  the server's clock is real; the job finishes on its own
  MODE reads:  every read of the job is a step of the runner
  MODE manual: this script is the runner, through the control API
"""
import io
import json
import sys
import time
import zipfile

import gitlab
import requests

url, mode, job_id = sys.argv[1], sys.argv[2], int(sys.argv[3])
gl = gitlab.Gitlab(url, private_token="maintainer-token")
project = gl.projects.get("foo/bar", lazy=True)


def runner(step, body):
    response = requests.post(f"{url}/__fake/runner/jobs/{new_id}/{step}", json=body)
    response.raise_for_status()


new_id = project.jobs.get(job_id, lazy=True).retry()["id"]
statuses = []
job = project.jobs.get(new_id)
for poll in range(200):
    if not statuses or statuses[-1] != job.status:
        statuses.append(job.status)
    if job.status in ("success", "failed", "canceled"):
        break
    if mode == "clock":
        time.sleep(0.05)
    elif mode == "manual":
        if poll == 0:
            runner("start", {})
        elif poll == 1:
            runner("log", {"text": "from python\n"})
        elif poll == 2:
            runner("finish", {
                "status": "success",
                "artifacts": [{"file_type": "archive", "files": {"report.txt": "all green\n"}}],
                "expire_in": "1 week",
            })
    job = project.jobs.get(new_id)

archive = zipfile.ZipFile(io.BytesIO(project.jobs.get(new_id, lazy=True).artifacts()))
print(json.dumps({
    "statuses": statuses,
    "trace": project.jobs.get(new_id, lazy=True).trace().decode(),
    "files": sorted(archive.namelist()),
    "report": archive.read("report.txt").decode(),
    "artifacts_file": job.attributes.get("artifacts_file"),
}))
