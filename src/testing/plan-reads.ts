import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';

interface PlanNode {
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

/** Every node of a plan, depth first. */
const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

/**
 * How many nodes of the plan PostgreSQL (or PGlite) makes for `statement` read `table`: a scan of it
 * each, in the statement itself or in any of its sub-plans. For tests that a statement reads a table
 * no more often than it means to (a subquery PostgreSQL copies into each place it is used is read
 * once a place).
 */
export async function planReadsOf(db: Executor, statement: SQL, table: string): Promise<number> {
  const result = (await db.execute(sql`explain (format json) ${statement}`)) as unknown as { rows: Record<string, unknown>[] };
  const cell = Object.values(result.rows[0]!)[0];
  const [plan] = (typeof cell === 'string' ? JSON.parse(cell) : cell) as { Plan: PlanNode }[];
  return nodesOf(plan!.Plan).filter((n) => n['Relation Name'] === table).length;
}
