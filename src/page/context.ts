import type { Client, Overview, ProjectSummary } from './api.js'

/** What a view gets: the client, where to render, and the page's shared means. */
export interface Context {
  readonly client: Client
  readonly main: HTMLElement
  overview: Overview
  /** Says a result in the live region (read out by screen readers). */
  announce(message: string): void
  /** Calls `tick` every `ms` until the view changes; a tick never overlaps the previous one. */
  poll(tick: () => Promise<void>, ms: number): void
  /** Whether the view that asked is still shown. */
  current(): boolean
  project(id: number): ProjectSummary | undefined
  /** Shows another view. */
  go(hash: string): void
}
