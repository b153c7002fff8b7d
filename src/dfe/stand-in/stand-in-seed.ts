import type { DfeState, LeadProvider } from './dfe-state';

/** What a seeded stand-in holds for the tests and the demo to name. */
export interface SeededDfe {
  provider: LeadProvider;
  otherProvider: LeadProvider;
  partners: { id: string; name: string }[];
}

/** The last day of a month, `YYYY-MM-DD` (month 1–12). */
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);

/**
 * DfE as a lead provider finds it: this provider (its token `token`) and another, two delivery
 * partners confirmed for 2025a–2026b with this provider, and monthly output-fee statements for cohorts
 * 2025a to 2026b from the September of the start year for three years (cut-off the last day of
 * the month, paid on the 25th of the next: the shape of docs/dfe-api.md §2.3's tables).
 */
export function seedDfe(state: DfeState, now: Date, opts: { providerName: string; token: string }): SeededDfe {
  const provider = state.addLeadProvider(opts.providerName, opts.token);
  const otherProvider = state.addLeadProvider('Another Lead Provider', `${opts.token}-other`);
  const cohorts = ['2025a', '2025b', '2026a', '2026b'];
  const partners = ['Riverside Teaching School Hub', 'Moorland Learning Trust'].map((name) => state.addDeliveryPartner(name, { [provider.id]: cohorts, [otherProvider.id]: ['2026b'] }));
  for (const lp of [provider, otherProvider]) {
    for (const cohort of ['2025a', '2025b', '2026a', '2026b']) {
      const start = Number(cohort.slice(0, 4));
      for (let i = 0; i < 36; i++) {
        const year = start + Math.floor((8 + i) / 12);
        const month = ((8 + i) % 12) + 1;
        const payYear = month === 12 ? year + 1 : year;
        const payMonth = month === 12 ? 1 : month + 1;
        state.addStatement({ leadProviderId: lp.id, cohort, month: String(payMonth), year: String(payYear), cutOffDate: lastDay(year, month), paymentDate: `${payYear}-${String(payMonth).padStart(2, '0')}-25` }, now);
      }
    }
  }
  return { provider, otherProvider, partners: partners.map((p) => ({ id: p.id, name: p.name })) };
}
