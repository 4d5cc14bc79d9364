import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'

/** Global setup: a folder for the run where tools.ts notes which skip lines it has printed. */

declare module 'vitest' {
  export interface ProvidedContext {
    toolNotes: string
  }
}

export default function setup(project: TestProject): () => void {
  const notes = mkdtempSync(join(tmpdir(), 'gitlab-fake-tools-'))
  project.provide('toolNotes', notes)
  return () => rmSync(notes, { recursive: true, force: true })
}
