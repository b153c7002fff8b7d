/**
 * ctx.write (issue 9, ADR 0027): a transaction PostgreSQL ends for a deadlock (40P01) or a serialization
 * failure (40001) is run once more, and failing again is refused 409 try_again, never a 500. The failure
 * is raised inside a real transaction, as the driver raises it, so the rollback is real too.
 */
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../testing/test-app';
import { type ApplicationsDeps, createEnrolmentContext, isConcurrencyFailure } from './enrolment-context';

const t = useTestApp();

const failure = (code: string) => Object.assign(new Error(code === '40P01' ? 'deadlock detected' : 'could not serialize access'), { code });
const context = () => createEnrolmentContext({ db: t.database.db, clock: t.clock } as unknown as ApplicationsDeps);

describe('a write ended by the database for concurrency', () => {
  it('is run once more, and its second answer is the answer', async () => {
    let runs = 0;
    const answer = await context().write(async () => {
      runs++;
      if (runs === 1) throw failure('40P01');
      return 'done';
    });
    expect({ answer, runs }).toEqual({ answer: 'done', runs: 2 });
  });

  it('failing twice is refused 409 try_again', async () => {
    let runs = 0;
    const write = context().write(async () => {
      runs++;
      throw failure('40001');
    });
    await expect(write).rejects.toMatchObject({ code: 'try_again', status: 409 });
    expect(runs).toBe(2);
  });

  it('any other failure is raised as it is, without running again', async () => {
    let runs = 0;
    const write = context().write(async () => {
      runs++;
      throw failure('23505');
    });
    await expect(write).rejects.toMatchObject({ code: '23505' });
    expect(runs).toBe(1);
  });

  it('is recognised wrapped as a cause, as drizzle wraps the driver’s error', () => {
    expect([isConcurrencyFailure({ cause: { code: '40P01' } }), isConcurrencyFailure({ code: '40001' }), isConcurrencyFailure({ code: '23505' }), isConcurrencyFailure(undefined)]).toEqual([true, true, false, false]);
  });
});
