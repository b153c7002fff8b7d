import { type ProgrammeContent, modulesOf } from './programme';

/** One piece of a programme as a change names it: "Module “Vision” (in “Leading a school”)". */
export interface ChangedPiece {
  key: string;
  text: string;
}

/** What moving an intake from one version of its programme to another changes for its participants. */
export interface VersionChanges {
  added: ChangedPiece[];
  removed: ChangedPiece[];
  /** Pieces kept (same key) under a new title, as "old → new". */
  retitled: ChangedPiece[];
  /** Modules in both versions that gain activities: a participant who finished one sees it unfinished until they do the new ones. */
  modulesGainingActivities: ChangedPiece[];
}

/** Every piece of a programme by key, with how a change names it. */
function piecesOf(c: ProgrammeContent): Map<string, { title: string; text: (title: string) => string }> {
  const pieces = new Map<string, { title: string; text: (title: string) => string }>();
  for (const course of c.courses) pieces.set(course.key, { title: course.title, text: (t) => `Online course “${t}”` });
  for (const { course, module } of modulesOf(c)) {
    pieces.set(module.key, { title: module.title, text: (t) => `Module “${t}” (in “${course.title}”)` });
    for (const a of module.activities) pieces.set(a.key, { title: a.title, text: (t) => `Activity “${t}” (in module “${module.title}”)` });
  }
  for (const e of c.events) pieces.set(e.key, { title: e.title, text: (t) => `Event “${t}”` });
  for (const b of c.briefings) pieces.set(b.key, { title: b.title, text: (t) => `Briefing “${t}”` });
  return pieces;
}

/**
 * What changes between two versions of a programme, piece by piece (by key, which stays the same
 * across versions: ADR 0047): pieces added, removed and retitled, and the modules that gain
 * activities. Pure; the order is the newer version's (removed pieces, the older one's).
 */
export function versionChanges(from: ProgrammeContent, to: ProgrammeContent): VersionChanges {
  const before = piecesOf(from);
  const after = piecesOf(to);
  const changes: VersionChanges = { added: [], removed: [], retitled: [], modulesGainingActivities: [] };
  for (const [key, piece] of after) {
    const was = before.get(key);
    if (!was) changes.added.push({ key, text: piece.text(piece.title) });
    else if (was.title !== piece.title) changes.retitled.push({ key, text: `${was.text(was.title)} → “${piece.title}”` });
  }
  for (const [key, piece] of before) if (!after.has(key)) changes.removed.push({ key, text: piece.text(piece.title) });
  const oldModules = new Map(modulesOf(from).map(({ module }) => [module.key, new Set(module.activities.map((a) => a.key))]));
  for (const { course, module } of modulesOf(to)) {
    const had = oldModules.get(module.key);
    if (had && module.activities.some((a) => !had.has(a.key))) changes.modulesGainingActivities.push({ key: module.key, text: `Module “${module.title}” (in “${course.title}”)` });
  }
  return changes;
}

/** Whether two versions differ at all for participants (added, removed or retitled pieces). */
export const anyChanges = (c: VersionChanges): boolean => c.added.length + c.removed.length + c.retitled.length > 0;
