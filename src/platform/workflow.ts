/**
 * Workflows as transition tables (ADR 0027). A workflow is its states, its events (each: the states it
 * may happen from, and the state it leads to, or `null` when it leaves the state as it is) and named
 * groups of states. The same table answers "may this happen?" in the domain, guards the conditional
 * SQL update (`where status in (from)`), writes the CHECK constraint on the status column, and draws
 * the Mermaid diagram in `docs/workflows/`. Pure apart from building SQL fragments.
 */
import { inArray, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

/** One event's rule: the states it may happen from, and the state it leads to (`null`: it keeps the state). */
export type Rule<S extends string> = { readonly from: readonly S[]; readonly to: S | null };

export interface Workflow<S extends string, Ev extends Record<string, Rule<S>> = Record<string, Rule<S>>> {
  /** File name in docs/workflows/ and the diagram's title. */
  name: string;
  /** What the workflow is, in a sentence, for the diagram's page. */
  description: string;
  states: readonly S[];
  /** Where a record starts (drawn from [*]). */
  initial: readonly S[];
  events: Ev;
  groups: Record<string, readonly S[]>;
}

/** Declares a workflow, checking (at compile time) that every event names known states. */
export function workflow<const S extends string, const Ev extends Record<string, Rule<S>>>(w: Workflow<S, Ev>): Workflow<S, Ev> {
  return w;
}

/** Whether `event` may happen to a record in `state` (any string: a column read from the database). */
export function allows<S extends string, Ev extends Record<string, Rule<S>>>(w: Workflow<S, Ev>, event: keyof Ev, state: string | null | undefined): state is S {
  return state != null && ((w.events[event] as Rule<S>).from as readonly string[]).includes(state);
}

/** Whether `state` (any string: a column read from the database) is in the workflow's group `group`. */
export function inGroup<S extends string>(w: Workflow<S>, group: string, state: string | null | undefined): state is S {
  return state != null && (w.groups[group] as readonly string[] | undefined)?.includes(state) === true;
}

/** The state `event` leads to from `state`: its `to`, or `state` itself for an event that keeps it. Raises when the event may not happen. */
export function transition<S extends string, Ev extends Record<string, Rule<S>>>(w: Workflow<S, Ev>, event: keyof Ev, state: string | null | undefined): S {
  if (!allows(w, event, state)) throw new Error(`${w.name}: ${String(event)} may not happen from ${state ?? 'nothing'}`);
  return (w.events[event] as Rule<S>).to ?? state;
}

/** The SQL condition of a conditional update: `column in (the event's from-states)`. */
export function guardOf<S extends string, Ev extends Record<string, Rule<S>>>(w: Workflow<S, Ev>, event: keyof Ev, column: AnyPgColumn): SQL {
  return inArray(column, [...(w.events[event] as Rule<S>).from]);
}

/** A CHECK constraint's condition that keeps `column` to `states` (null allowed when the column is nullable). */
export function oneOf(column: AnyPgColumn, states: readonly string[]): SQL {
  return sql`${column} in (${sql.raw(states.map((s) => `'${s.replace(/'/g, "''")}'`).join(', '))})`;
}

/** The workflow as a Mermaid state diagram, with its groups listed below: the page written to docs/workflows/<name>.md. */
export function mermaidPage<S extends string, Ev extends Record<string, Rule<S>>>(w: Workflow<S, Ev>, regenerate: string): string {
  const lines = ['stateDiagram-v2'];
  for (const s of w.initial) lines.push(`  [*] --> ${s}`);
  for (const [event, rule] of Object.entries(w.events) as [string, Rule<S>][]) {
    for (const from of rule.from) lines.push(`  ${from} --> ${rule.to ?? from}: ${event}`);
  }
  const groups = Object.entries(w.groups).map(([name, states]) => `- \`${name}\`: ${(states as readonly S[]).map((s) => `\`${s}\``).join(', ')}`);
  return [
    `# ${w.name}`,
    '',
    w.description,
    '',
    '```mermaid',
    ...lines,
    '```',
    '',
    '## Groups',
    '',
    ...groups,
    '',
    `Generated from the transition table; do not edit. Regenerate with \`${regenerate}\`.`,
    '',
  ].join('\n');
}
