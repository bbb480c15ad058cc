/**
 * What a service call or a rule gives back: the value, or a code the caller turns into a message
 * in the user's language (with its parameters, never personal data). One shape for every service.
 */
export type Result<T, C extends string = string> = { ok: true; value: T } | { ok: false; code: C; params?: Record<string, string> };
