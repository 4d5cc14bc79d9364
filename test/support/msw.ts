/**
 * `server.listen()`'s options that fail a test on a request no handler answers, under msw 2
 * (`onUnhandledRequest`) and msw 3 (`onUnhandledFrame`): each ignores the other's name.
 */
export const FAIL_UNHANDLED = { onUnhandledRequest: 'error', onUnhandledFrame: 'error' } as never
