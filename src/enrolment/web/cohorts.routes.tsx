import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PublicCatalogue } from '../../catalogue/catalogue.queries';
import { requirePermission } from '../../platform/admin';
import { FormPage } from '../../platform/form-page';
import { ConflictError, type FieldErrors, ValidationError } from '../../platform/errors';
import { fieldErrors } from '../../platform/forms';
import { Layout } from '../../platform/layout';
import type { PageContext } from '../../platform/page-context';
import { Csrf } from '../../platform/csrf';
import { Button, Input, Radios, Table } from '../../ui/govuk';
import type { CohortRow, CohortsService } from '../cohorts.service';
import { COHORT_FUNDING, COHORT_FUNDING_LABELS, type CohortFunding, cohortInputSchema } from '../domain/cohort';
import { Flash } from '../../platform/flash';

type Body = Record<string, string | undefined>;

export async function cohortRoutes(app: FastifyInstance, opts: { cohorts: CohortsService; catalogue: PublicCatalogue }) {
  const { cohorts, catalogue } = opts;
  const guard = { preHandler: requirePermission('cohorts:manage') };

  /** Funded places per NPQ come in as one field per course: place-limit[npq-headship]=40. */
  const limitsFrom = (body: Body, courses: string[]) => {
    const limits: Record<string, number> = {};
    const errors: FieldErrors = {};
    for (const c of courses) {
      const raw = (body[`limit-${c}`] ?? '').trim();
      if (!raw) continue;
      if (!/^\d{1,6}$/.test(raw)) errors[`limit-${c}`] = `Funded places for ${c} must be a whole number`;
      else limits[c] = Number(raw);
    }
    return { limits, errors };
  };

  const formPage = async (reply: FastifyReply, cohort: CohortRow | undefined, errors?: FieldErrors, values?: Body) => {
    const courses = (await catalogue.list()).filter((q) => q.framework === 'reformed');
    const v = (k: string) => values?.[k] ?? (cohort ? k === 'funding' ? cohort.funding : k.startsWith('limit-') ? String(cohort.fundedPlaceLimits[k.slice(6)] ?? '') : undefined : undefined);
    return reply.page(
      (ctx: PageContext) => (
        <FormPage ctx={ctx} title={cohort ? `Cohort ${cohort.identifier}` : 'Add a cohort'} back="/admin/cohorts" errors={errors} errorTargets={{ funding: 'funding' }}>
          <form method="post" action={cohort ? `/admin/cohorts/${cohort.identifier}` : '/admin/cohorts/new'} novalidate>
            <Csrf ctx={ctx} />
            {cohort ? null : (
              <>
                <Input id="startYear" name="startYear" inputmode="numeric" classes="govuk-input--width-4" label={{ text: 'Start year' }} hint={{ text: 'The year the cohort starts, like 2027' }} value={v('startYear')} errorMessage={errors?.startYear ? { text: errors.startYear } : undefined} />
                <Input id="suffix" name="suffix" classes="govuk-input--width-3" label={{ text: 'Suffix' }} hint={{ text: 'A letter that tells cohorts of the same year apart, like a' }} value={v('suffix') ?? 'a'} errorMessage={errors?.suffix ? { text: errors.suffix } : undefined} />
              </>
            )}
            <Radios idPrefix="funding" name="funding" fieldset={{ legend: { text: 'DfE funding', classes: 'govuk-fieldset__legend--s' } }} value={v('funding')} errorMessage={errors?.funding ? { text: errors.funding } : undefined} items={COHORT_FUNDING.map((f) => ({ value: f, text: COHORT_FUNDING_LABELS[f] }))} />
            <h2 class="govuk-heading-m">Funded places (capped cohorts)</h2>
            <p class="govuk-body">The most places DfE funds for each NPQ. Leave blank for no limit.</p>
            {courses.map((q) => (
              <Input id={`limit-${q.identifier}`} name={`limit-${q.identifier}`} inputmode="numeric" classes="govuk-input--width-5" label={{ text: `${q.shortName}: ${q.name}` }} value={v(`limit-${q.identifier}`)} errorMessage={errors?.[`limit-${q.identifier}`] ? { text: errors[`limit-${q.identifier}`]! } : undefined} />
            ))}
            <Button text={cohort ? 'Save cohort' : 'Add cohort'} preventDoubleClick />
          </form>
        </FormPage>
      ),
      errors ? 422 : 200,
    );
  };

  app.get('/admin/cohorts', guard, async (req, reply) => {
    const list = await cohorts.list(req.actor);
    return reply.page((ctx) => (
      <Layout ctx={ctx} title="Cohorts">
        <Flash ctx={ctx} />
        <h1 class="govuk-heading-xl">Cohorts</h1>
        <Button href="/admin/cohorts/new" text="Add a cohort" />
        <Table
          head={[{ text: 'Cohort' }, { text: 'DfE funding' }, { text: 'Funded places' }]}
          rows={list.map((c) => [
            { html: `<a class="govuk-link" href="/admin/cohorts/${c.identifier}">${c.identifier}</a>` },
            { text: COHORT_FUNDING_LABELS[c.funding as CohortFunding] ?? c.funding },
            { text: Object.entries(c.fundedPlaceLimits).map(([k, n]) => `${k}: ${n}`).join(', ') || '–' },
          ])}
        />
      </Layout>
    ));
  });

  app.get('/admin/cohorts/new', guard, async (_req, reply) => formPage(reply, undefined));

  const save = async (req: FastifyRequest, reply: FastifyReply, existing: CohortRow | undefined) => {
    const body = (req.body ?? {}) as Body;
    const courses = (await catalogue.list()).map((q) => q.identifier);
    const { limits, errors: limitErrors } = limitsFrom(body, courses);
    const parsed = cohortInputSchema.safeParse({ startYear: existing?.startYear ?? body.startYear, suffix: existing?.suffix ?? body.suffix, funding: body.funding, fundedPlaceLimits: limits });
    const errors = { ...(parsed.success ? {} : fieldErrors(parsed.error)), ...limitErrors };
    if (!parsed.success || Object.keys(errors).length) return formPage(reply, existing, errors, body);
    try {
      const saved = existing ? await cohorts.update(req.actor, existing.identifier, parsed.data) : await cohorts.create(req.actor, parsed.data);
      reply.flash(`Cohort ${saved.identifier} saved.`);
      return reply.redirect('/admin/cohorts', 303);
    } catch (err) {
      if (err instanceof ConflictError) return formPage(reply, existing, { startYear: err.message }, body);
      if (err instanceof ValidationError) return formPage(reply, existing, err.fieldErrors, body);
      throw err;
    }
  };

  app.post('/admin/cohorts/new', guard, async (req, reply) => save(req, reply, undefined));
  app.get<{ Params: { identifier: string } }>('/admin/cohorts/:identifier', guard, async (req, reply) => {
    const cohort = await cohorts.byIdentifier(req.params.identifier);
    return cohort ? formPage(reply, cohort) : reply.callNotFound();
  });
  app.post<{ Params: { identifier: string } }>('/admin/cohorts/:identifier', guard, async (req, reply) => {
    const cohort = await cohorts.byIdentifier(req.params.identifier);
    return cohort ? save(req, reply, cohort) : reply.callNotFound();
  });
}
