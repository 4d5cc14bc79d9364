import { h, svg } from './dom.js'

/**
 * GitLab's job statuses as its web UI shows them: the label GitLab gives each
 * (lib/gitlab/ci/status/*.rb: `text`; success reads "passed", scheduled "delayed") and its
 * colour (app/assets/stylesheets/pages/status.scss, `.ci-status-icon-*` and `.ci-status`:
 * success $green-500, failed $red-500, running $blue-500, pending and scheduled $orange-500,
 * the rest grey). page.css holds the colours as `--status-*`; labels darker than the icons, so
 * that the text keeps a 4.5:1 contrast.
 */
export const STATUS_LABELS: Record<string, string> = {
  success: 'passed',
  failed: 'failed',
  running: 'running',
  pending: 'pending',
  preparing: 'preparing',
  waiting_for_resource: 'waiting',
  canceled: 'canceled',
  canceling: 'canceling',
  skipped: 'skipped',
  created: 'created',
  manual: 'manual',
  scheduled: 'delayed',
}

/** The colour group of a status, as page.css names it. */
export function statusGroup(status: string): string {
  switch (status) {
    case 'success':
    case 'failed':
    case 'running':
      return status
    case 'pending':
    case 'scheduled':
    case 'preparing':
    case 'waiting_for_resource':
      return 'pending'
    default:
      return 'neutral'
  }
}

const C = 'currentColor'

/** The glyph inside the status circle, after GitLab's status_* icons. */
function glyph(status: string): { d: string; fill?: string; stroke?: string }[] {
  switch (status) {
    case 'success':
      return [{ d: 'M4.5 8.2l2.3 2.3 4.7-4.8', stroke: C }]
    case 'failed':
      return [{ d: 'M5.5 5.5l5 5m0-5l-5 5', stroke: C }]
    case 'running':
      return [{ d: 'M8 3.5a4.5 4.5 0 0 1 0 9z', fill: C }]
    case 'pending':
    case 'preparing':
    case 'waiting_for_resource':
      return [{ d: 'M6.3 5.5v5m3.4-5v5', stroke: C }]
    case 'canceled':
    case 'canceling':
      return [{ d: 'M5 11l6-6', stroke: C }]
    case 'skipped':
      return [{ d: 'M5 5.5l2.5 2.5L5 10.5m3.5-5L11 8l-2.5 2.5', stroke: C }]
    case 'manual':
      return [{ d: 'M6.5 5.2v5.6L11 8z', fill: C }]
    case 'scheduled':
      return [{ d: 'M8 4.8V8l2.2 1.5', stroke: C }]
    default:
      return [{ d: 'M8 6.5a1.5 1.5 0 1 1 0 3a1.5 1.5 0 1 1 0-3z', fill: C }]
  }
}

export function statusIcon(status: string): SVGElement {
  const icon = svg('0 0 16 16', [{ d: 'M8 1a7 7 0 1 1 0 14A7 7 0 1 1 8 1z', stroke: C }, ...glyph(status)])
  icon.setAttribute('class', 'status-icon')
  return icon
}

/** A badge: the icon and GitLab's label, e.g. "passed". */
export function statusBadge(status: string): HTMLElement {
  return h(
    'span',
    { class: `badge status-${statusGroup(status)}`, 'data-status': status },
    statusIcon(status),
    STATUS_LABELS[status] ?? status,
  )
}
