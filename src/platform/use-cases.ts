type WithoutContext<F> = F extends (ctx: never, ...args: infer A) => infer R ? (...args: A) => R : never;

/** Use cases with their first argument (the capability's context) already given. */
export type BoundUseCases<T> = { [K in keyof T]: WithoutContext<T[K]> };

/**
 * Binds a capability's use cases (each a function of its context first: `inviteRater(ctx, actor, …)`)
 * to one context, so that routes keep one service object to call while each use case is its own file.
 */
export function bindUseCases<C, T extends Record<string, (ctx: C, ...args: never[]) => unknown>>(ctx: C, useCases: T): BoundUseCases<T> {
  return Object.fromEntries(Object.entries(useCases).map(([name, run]) => [name, (...args: unknown[]) => (run as (ctx: C, ...a: unknown[]) => unknown)(ctx, ...args)])) as BoundUseCases<T>;
}
