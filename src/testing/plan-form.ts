import type { Client } from './test-app';

/** A date as the GOV.UK date fields called `prefix` send it: day, month and year without leading zeros. */
export function dateFields(prefix: string, date: string): Record<string, string> {
  const [y, m, d] = date.split('-');
  return { [`${prefix}-day`]: String(Number(d)), [`${prefix}-month`]: String(Number(m)), [`${prefix}-year`]: y! };
}

/** Sends the delivery plan's form for one piece of an intake, as its page does (learning/web/delivery.routes.tsx). */
export const setPlanEntry = (c: Client, intakeId: string, itemKey: string, form: Record<string, string>) => c.post(`/delivery/intakes/${intakeId}/plan/${itemKey}`, form);
