/** A failed job whose next run succeeds, uploading a report: what polling tests retry. */

export const FLAKY_RUN = {
  duration: '20s',
  log: ['compiling', 'testing'],
  artifacts: [
    { file_type: 'archive', files: { 'report.txt': 'all green\n', 'coverage/index.html': '<p>91%</p>\n' } },
  ],
  expire_in: '1 week',
}

/** A failed job whose next run succeeds, uploading a report. */
export const FLAKY_FIXTURE = {
  pipelines: [
    {
      project: 'foo/bar',
      ref: 'feature',
      jobs: [{ name: 'flaky', status: 'failed', run: FLAKY_RUN }],
    },
  ],
}
