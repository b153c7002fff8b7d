import { describe, expect, it } from 'vitest';
import { NPQLT_PROGRAMME } from '../seed-programmes';
import { anyChanges, versionChanges } from './version-changes';

describe('what moving an intake to another version changes', () => {
  it('names pieces added, removed and retitled, and the modules that gain activities', () => {
    const to = structuredClone(NPQLT_PROGRAMME);
    const firstModule = to.courses[0]!.modules[0]!;
    firstModule.activities.push({ key: 'c1m1a9', kind: 'page', title: 'Reading list', body: '' });
    const removedBriefing = to.briefings.pop()!;
    to.events[0]!.title = 'Event 1: A new start';
    const changes = versionChanges(NPQLT_PROGRAMME, to);
    expect(changes.added).toEqual([{ key: 'c1m1a9', text: `Activity “Reading list” (in module “${firstModule.title}”)` }]);
    expect(changes.removed).toEqual([{ key: removedBriefing.key, text: `Briefing “${removedBriefing.title}”` }]);
    expect(changes.retitled).toEqual([{ key: 'e1', text: `Event “${NPQLT_PROGRAMME.events[0]!.title}” → “Event 1: A new start”` }]);
    expect(changes.modulesGainingActivities).toEqual([{ key: firstModule.key, text: `Module “${firstModule.title}” (in “${to.courses[0]!.title}”)` }]);
    expect(anyChanges(changes)).toBe(true);
  });

  it('finds nothing between a version and itself; moving back names the same pieces the other way', () => {
    expect(anyChanges(versionChanges(NPQLT_PROGRAMME, NPQLT_PROGRAMME))).toBe(false);
    const to = structuredClone(NPQLT_PROGRAMME);
    to.courses[0]!.modules[0]!.activities.push({ key: 'c1m1a9', kind: 'page', title: 'Reading list', body: '' });
    const back = versionChanges(to, NPQLT_PROGRAMME);
    expect(back.removed.map((p) => p.key)).toEqual(['c1m1a9']);
    expect(back.modulesGainingActivities).toEqual([]);
  });
});
