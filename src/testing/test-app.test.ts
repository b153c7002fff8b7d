import { describe, expect, it } from 'vitest';
import { emptyTableHeaders, madeInHooks } from './test-app';

describe('one thing per block, made in beforeAll and ended in afterAll (what useTestApp and useMailHarness stand on)', () => {
  const ended: string[] = [];
  const held = madeInHooks('the thing', async () => 'made', async (thing) => {
    ended.push(thing);
  });
  // Read while the file is collected, before beforeAll has run.
  const early = (() => {
    try {
      return held.get();
    } catch (e) {
      return (e as Error).message;
    }
  })();

  it('is not there before beforeAll, and says where to read it', () => {
    expect(early).toBe('the thing: made in beforeAll and ended in afterAll, so use it inside a test or a hook');
  });

  it('is there inside a test, and ends once however often it is ended, after which it is gone', async () => {
    expect(held.get()).toBe('made');
    await held.end();
    await held.end();
    expect(ended).toEqual(['made']);
    expect(() => held.get()).toThrow('the thing: made in beforeAll');
  });
});

describe('the check every page a Client reads passes: no table header without text', () => {
  it('names a header with no text, or only spaces and tags, and passes one with visually hidden text', () => {
    const html = '<table><tr><th scope="col">Group</th><th scope="col"></th><th class="x"> <span> &nbsp;</span> </th><th><span class="govuk-visually-hidden">Actions</span></th></tr></table>';
    expect(emptyTableHeaders(html)).toEqual(['<th scope="col"></th>', '<th class="x"> <span> &nbsp;</span> </th>']);
    expect(emptyTableHeaders('<p>no table</p><thead></thead>')).toEqual([]);
  });
});
