import { describe, expect, it } from 'vitest';
import { factoriesFor, setUp } from '../testing/factories';
import { useTestApp } from '../testing/test-app';

/**
 * A decision right after a catalogue change. The change empties the catalogue's cached list; the
 * decisions read the NPQ's name from it, and on the embedded database (PGlite, one connection) a read
 * made inside the decision's transaction waited for that transaction for ever: the request hung. Found
 * moving the demo participant into a new intake. Each decision now reads the NPQ before its transaction.
 */
const t = useTestApp();
const f = factoriesFor(t);
const within = <T>(work: Promise<T>) => Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('hung: a read inside the transaction waits for it')), 10_000))]);
const changeTheCatalogue = async () => void (await f.anIntake());

describe('a decision just after the catalogue changed', () => {
  it('accepts, moves and rejects without waiting for ever', async () => {
    const target = await f.anIntake();
    const sent = (await f.aSubmittedApplication()).application;
    const entered = await f.anApiEnteredApplication();
    await changeTheCatalogue();
    const accepted = await within(t.services.applications.accept(setUp, entered.id, {}));
    expect(accepted.status).toBe('accepted');
    await changeTheCatalogue();
    const moved = await within(t.services.applications.changeParticipant(setUp, entered.id, 'move', { intakeId: target.id }));
    expect(moved.intakeId).toBe(target.id);
    await changeTheCatalogue();
    const rejected = await within(t.services.applications.reject(setUp, sent.id, 'Not this time'));
    expect(rejected.status).toBe('rejected');
  }, 60_000);
});
