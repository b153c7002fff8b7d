import { eq } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { Actor } from '../../platform/auth/actor';
import { ValidationError } from '../../platform/errors';
import { requireManager } from '../authorise';
import type { EnrolmentContext } from '../enrolment-context';
import { gatewayConfigs } from '../enrolment.schema';
import type { GatewayConfig } from './gateway.repository';

/**
 * The provider sets an NPQ's gateway: its questions, criteria and pass mark (1 to the criteria's total).
 * Raises ValidationError keyed by field.
 */
export const saveGatewayConfig =
  (ctx: EnrolmentContext) =>
  async (actor: Actor, course: string, input: { questions: GatewayConfig['questions']; criteria: GatewayConfig['criteria']; passMark: number }): Promise<void> => {
    requireManager(actor);
    const errors: Record<string, string> = {};
    if (!(await ctx.courseNamed(course))) errors.course = 'Choose an NPQ';
    if (!input.questions.length) errors.questions = 'Add at least one question';
    if (!input.criteria.length) errors.criteria = 'Add at least one criterion, like “Leadership experience | 4”';
    const total = input.criteria.reduce((s, c) => s + c.maxScore, 0);
    if (!Number.isInteger(input.passMark) || input.passMark < 1 || input.passMark > total) errors.passMark = `Enter a pass mark from 1 to ${total || 'the total of the criteria'}`;
    if (Object.keys(errors).length) throw new ValidationError(errors);
    const before = await ctx.gatewayConfig(course);
    await ctx.write(async (tx) => {
      await tx
        .insert(gatewayConfigs)
        .values({ courseIdentifier: course, ...input, updatedAt: ctx.now() })
        .onConflictDoUpdate({ target: gatewayConfigs.courseIdentifier, set: { ...input, updatedAt: ctx.now() } });
      await audit(tx, ctx.clock, actor, { action: 'gateway.configured', entityType: 'qualification', entityId: course, before, after: input });
    });
  };

/** The provider removes an NPQ's gateway; nothing when it has none. */
export const removeGatewayConfig =
  (ctx: EnrolmentContext) =>
  async (actor: Actor, course: string): Promise<void> => {
    requireManager(actor);
    const before = await ctx.gatewayConfig(course);
    if (!before) return;
    await ctx.write(async (tx) => {
      await tx.delete(gatewayConfigs).where(eq(gatewayConfigs.courseIdentifier, course));
      await audit(tx, ctx.clock, actor, { action: 'gateway.removed', entityType: 'qualification', entityId: course, before });
    });
  };
