import type { UserRecord } from '../store/records.js'
import { type Fields, isoTime, type Json, once, type PresentContext, present } from './present.js'

// lib/api/entities/user_safe.rb, user_basic.rb, user.rb
const fields: Fields<UserRecord> = {
  id: (u) => u.id,
  name: (u) => u.name,
  username: (u) => u.username,
  state: (u) => u.state,
  // `access_locked?`: locked out after failed sign-ins, which the fake has none of.
  locked: () => false,
  avatar_url: (u) => u.avatar_url,
  web_url: (u, ctx) => `${ctx.gitlabUrl}/${u.username}`,
  created_at: (u) => isoTime(u.created_at),
  bio: (u) => u.bio,
  location: (u) => u.location,
  public_email: (u) => u.public_email,
  skype: (u) => u.skype,
  linkedin: (u) => u.linkedin,
  twitter: (u) => u.twitter,
  website_url: (u) => u.website_url,
  organization: (u) => u.organization,
  discord: (u) => u.discord,
  job_title: (u) => u.job_title,
  pronouns: (u) => u.pronouns,
  bot: (u) => u.bot,
  // UsersHelper#work_information: "<job title> at <organization>", or whichever is there.
  work_information: (u) =>
    u.job_title && u.organization
      ? `${u.job_title} at ${u.organization}`
      : u.job_title || u.organization || null,
  // Nobody follows anybody in the fake.
  followers: () => 0,
  following: () => 0,
  // UsersHelper#local_time: null without a time zone, which no user has here.
  local_time: () => null,
}

export function presentUser(user: UserRecord, ctx: PresentContext): Json {
  return once(user, ctx, () => present(user, ctx.profile.entities.user, fields, ctx))
}

/** `Entities::UserBasic`: the same fields, fewer of them (a runner's `created_by`). */
export function presentUserBasic(user: UserRecord, ctx: PresentContext): Json {
  return present(user, ctx.profile.entities.userBasic, fields, ctx)
}
