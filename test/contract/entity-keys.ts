/**
 * GitLab 13.0's entity keys in `expose` order, written out from its entities
 * (lib/api/entities/job_basic.rb, job.rb, commit.rb, pipeline_basic.rb, user.rb), written out
 * independently of the fake's profile.
 */
export const JOB_KEYS = [
  'id',
  'status',
  'stage',
  'name',
  'ref',
  'tag',
  'coverage',
  'allow_failure',
  'created_at',
  'started_at',
  'finished_at',
  'duration',
  'user',
  'commit',
  'pipeline',
  'web_url',
  'artifacts_file',
  'artifacts',
  'runner',
  'artifacts_expire_at',
]
export const COMMIT_KEYS = [
  'id',
  'short_id',
  'created_at',
  'parent_ids',
  'title',
  'message',
  'author_name',
  'author_email',
  'authored_date',
  'committer_name',
  'committer_email',
  'committed_date',
]
export const PIPELINE_KEYS = ['id', 'sha', 'ref', 'status', 'created_at', 'updated_at', 'web_url']
export const USER_KEYS = [
  'id',
  'name',
  'username',
  'state',
  'avatar_url',
  'web_url',
  'created_at',
  'bio',
  'location',
  'public_email',
  'skype',
  'linkedin',
  'twitter',
  'website_url',
  'organization',
]
