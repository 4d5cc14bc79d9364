import { type Answer, toResponse } from '../api/responses.js'

/**
 * Thrown (or rejected) by the router for a request whose connection a fault drops: there is no
 * answer to give. MSW turns it into a network error (fetch rejects with a TypeError); the
 * standalone server destroys the socket.
 */
export class ConnectionDropped extends Error {
  constructor(readonly fault: string) {
    super(`gitlab-fake: the fault "${fault}" dropped the connection`)
    this.name = 'ConnectionDropped'
  }
}

/** The router's answer as a Fetch Response: a dropped connection is `Response.error()`. */
export async function fetchResponse(
  dispatch: () => Answer | Promise<Answer> | undefined,
): Promise<Response | undefined> {
  try {
    const result = await dispatch()
    return result && toResponse(result)
  } catch (error) {
    if (error instanceof ConnectionDropped) return Response.error()
    throw error
  }
}
