import { type MockInstance, vi } from 'vitest';

/**
 * Spies on `service[method]`, a read of a list walked by key whose third argument is the key
 * (undefined for the first page), and runs `between` once, just before the second page is read: a
 * change made while an export is being downloaded (docs/adr/0044). Restore it with `mockRestore()`.
 */
export function onSecondPage(service: object, method: string, between: () => Promise<unknown>): MockInstance {
  const target = service as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const original = target[method]!.bind(service);
  let done = false;
  return vi.spyOn(target, method).mockImplementation(async (...args: unknown[]) => {
    if (args[2] !== undefined && !done) {
      done = true;
      await between();
    }
    return original(...args);
  });
}
