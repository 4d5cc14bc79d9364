import type { Server } from 'node:http'

export function buildApp(outDir?: string, mode?: 'production' | 'development'): Promise<string>
export function serveApp(dir: string): Promise<{ server: Server; url: string }>
