/**
 * A call refused because of one of its fields (of the clock, the runner, a fault rule): `field`
 * names it, `reason` says what is wrong. The control API answers it as a 400 naming the field.
 */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`)
  }
}
