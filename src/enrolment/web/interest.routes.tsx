import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { chosenFilters, EmptyList, FilterSelect } from '../../platform/list-filters';
import type { CatalogueNames, PublicCatalogue } from '../../catalogue/catalogue.queries';
import { csvBatches, pageNumber, pagesAfter, paginationFor, requirePermission, sendCsv } from '../../platform/admin';
import { formatDate, formatDateTime } from '../../platform/clock';
import { type FieldErrors, ValidationError } from '../../platform/errors';
import { FormPage } from '../../platform/form-page';
import { Layout } from '../../platform/layout';
import type { PageContext } from '../../platform/page-context';
import { Csrf } from '../../platform/csrf';
import { Button, Checkboxes, Input, NotificationBanner, Pagination, Panel, Radios, Select, SummaryList, Table } from '../../ui/govuk';
import { escapeHtml } from '../../ui/govuk/core';
import type { InterestFilter, InterestListKey, InterestService } from '../interest.service';
import { Flash } from '../../platform/flash';

type Body = Record<string, string | undefined>;

export async function interestRoutes(app: FastifyInstance, opts: { interest: InterestService; catalogue: PublicCatalogue }) {
  const { interest, catalogue } = opts;

  /** First the NPQ, so that only its own intakes are offered (a plain GET form: no script needed). */
  const choosePage = async (reply: FastifyReply, error?: string) => {
    const courses = await catalogue.list();
    const errors = error ? { npq: error } : undefined;
    return reply.page(
      (ctx: PageContext) => (
        <FormPage ctx={ctx} title="Which NPQ are you interested in?" back="/qualifications" errors={errors} errorTargets={{ npq: 'npq' }}>
          <p class="govuk-body">Tell us which NPQ you would like to take and when. It is not an application, and you can change your mind.</p>
          <form method="get" action="/interest" novalidate>
            <input type="hidden" name="chosen" value="1" />
            <Radios idPrefix="npq" name="npq" fieldset={{ legend: { text: 'NPQ', classes: 'govuk-visually-hidden' } }} errorMessage={error ? { text: error } : undefined} items={courses.map((q) => ({ value: q.identifier, text: `${q.name} (${q.shortName})` }))} />
            <Button text="Continue" />
          </form>
        </FormPage>
      ),
      error ? 422 : 200,
    );
  };

  const formPage = async (reply: FastifyReply, values: Body, errors?: FieldErrors) => {
    const starts = await interest.startsFor(values.courseIdentifier);
    if (!starts) return choosePage(reply, errors ? 'Select the NPQ you are interested in' : undefined);
    const { course, choices, open } = starts;
    const err = (k: string) => (errors?.[k] ? { text: errors[k]! } : undefined);
    return reply.page(
      (ctx: PageContext) => (
        <FormPage ctx={ctx} title={`Register your interest in the ${course.shortName}`} back={`/qualifications/${course.identifier}`} errors={errors} errorTargets={{ consent: 'consent' }}>
          {open.length ? (
            <NotificationBanner
              titleText="Applications are open"
              html={`<p class="govuk-notification-banner__heading">Applications are open for the ${escapeHtml(course.name)}: apply by ${escapeHtml(formatDate(open[0]!.applicationDeadline))}.</p><p class="govuk-body"><a class="govuk-notification-banner__link" href="/apply?npq=${encodeURIComponent(course.identifier)}">Apply now</a>, or register your interest in a later intake below.</p>`}
            />
          ) : (
            <p class="govuk-body">Applications for the {course.name} are not open yet. Tell us when you would like to start, and we will email you when they open. It is not an application, and you can change your mind.</p>
          )}
          <form method="post" action="/interest" novalidate>
            <Csrf ctx={ctx} />
            <input type="hidden" name="courseIdentifier" value={course.identifier} />
            <SummaryList rows={[{ key: { text: 'NPQ' }, value: { text: `${course.name} (${course.shortName})` }, actions: { items: [{ href: '/interest?choose=1', text: 'Change', visuallyHiddenText: 'NPQ' }] } }]} />
            <Input id="name" name="name" autocomplete="name" label={{ text: 'Full name' }} value={values.name} errorMessage={err('name')} />
            <Input id="email" name="email" type="email" autocomplete="email" spellcheck={false} label={{ text: 'Email address' }} value={values.email} errorMessage={err('email')} />
            <Select id="startPreference" name="startPreference" label={{ text: 'When would you like to start?' }} value={values.startPreference} errorMessage={err('startPreference')} items={[{ value: '', text: 'Choose' }, ...choices.map((s) => ({ value: s, text: s }))]} />
            <Input id="role" name="role" autocomplete="organization-title" label={{ text: 'Your role (optional)' }} value={values.role} errorMessage={err('role')} />
            <Input id="schoolName" name="schoolName" autocomplete="organization" label={{ text: 'Your school or setting (optional)' }} value={values.schoolName} errorMessage={err('schoolName')} />
            <Checkboxes idPrefix="consent" name="consent" errorMessage={err('consent')} values={values.consent ? [values.consent] : []} items={[{ value: 'yes', text: 'You may email me about this NPQ and when applications open' }]} />
            <Button text="Register interest" preventDoubleClick />
          </form>
        </FormPage>
      ),
      errors ? 422 : 200,
    );
  };

  app.get('/interest', async (req, reply) => {
    const q = req.query as Body;
    if (q.choose) return choosePage(reply);
    // The choice was sent without an NPQ, or with one we do not offer: say so next to the question.
    if (q.chosen && !(await interest.startsFor(q.npq))) return choosePage(reply, 'Select the NPQ you are interested in');
    return formPage(reply, { courseIdentifier: q.npq });
  });

  app.post('/interest', async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    try {
      const { applicationsOpen } = await interest.register(body);
      // The same page whether or not this address had registered before: it tells a visitor nothing about anyone.
      return reply.page((ctx) => (
        <FormPage ctx={ctx} title="Thank you: we have your interest">
          <Panel titleText="Interest registered" text="We have emailed you a confirmation." headingLevel={2} />
          {applicationsOpen ? (
            <p class="govuk-body">
              Applications are open now: <a class="govuk-link" href={`/apply?npq=${encodeURIComponent(body.courseIdentifier ?? '')}`}>apply for the NPQ</a>.
            </p>
          ) : (
            <p class="govuk-body">We will email you when applications open. Meanwhile you can:</p>
          )}
          <ul class="govuk-list">
            <li>
              <a class="govuk-link" href="/funding">
                Check if DfE will fund you
              </a>
            </li>
            <li>
              <a class="govuk-link" href={`/qualifications/${encodeURIComponent(body.courseIdentifier ?? '')}`}>
                Read more about the NPQ
              </a>
            </li>
          </ul>
        </FormPage>
      ));
    } catch (err) {
      if (err instanceof ValidationError) return formPage(reply, body, err.fieldErrors);
      throw err;
    }
  });

  // ── Admin ──
  const guard = { preHandler: requirePermission('applications:manage') };
  /** The list's filters as selects, with what each offers: the page renders these, and a filter is read only as one of them. */
  const filterChoices = (courses: CatalogueNames['qualifications']) =>
    [
      { id: 'course-filter', name: 'course', label: 'NPQ', items: [{ value: '', text: 'Any NPQ' }, ...courses.map((c) => ({ value: c.identifier, text: c.retired ? `${c.shortName} (retired)` : c.shortName }))] },
      { id: 'invited', name: 'invited', label: 'Invited to apply', items: [{ value: '', text: 'Either' }, { value: 'no', text: 'Not yet' }, { value: 'yes', text: 'Invited' }] },
    ] as const;
  /** The filter a query asks for, each select's value one of `choices` offers, and an error for each that is not. */
  const filterOf = (q: Body, choices: ReturnType<typeof filterChoices>): { filter: InterestFilter; errors: FieldErrors | undefined } => {
    const { values, errors } = chosenFilters(q, choices);
    return { filter: { course: values.course, invited: values.invited === 'yes' || values.invited === 'no' ? values.invited : undefined, query: q.q?.trim().slice(0, 100) || undefined }, errors };
  };

  const listPage = async (req: FastifyRequest, reply: FastifyReply, errors?: FieldErrors) => {
    const q = req.query as Body;
    const page = pageNumber(q.page);
    // Filtered and named by every NPQ there has been (interest outlives an NPQ's retirement); invited to those on offer.
    const [courses, { qualifications: everyCourse }] = await Promise.all([catalogue.list(), catalogue.everyName()]);
    const choices = filterChoices(everyCourse);
    const { filter, errors: filterErrors } = filterOf(q, choices);
    const [courseChoice, invitedChoice] = choices;
    const { rows, total } = await interest.list(req.actor, filter, page);
    const pagination = paginationFor(page, Math.ceil(total / 50), '/admin/interest', { course: filter.course, invited: filter.invited, q: filter.query });
    const names = new Map(everyCourse.map((c) => [c.identifier, c.shortName]));
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title="Expressions of interest" errors={errors || filterErrors ? { ...filterErrors, ...errors } : undefined}>
          <Flash ctx={ctx} />
          <h1 class="govuk-heading-xl">Expressions of interest</h1>
          <form method="get" action="/admin/interest" class="app-filter">
            <div class="govuk-grid-row">
              <div class="govuk-grid-column-one-third">
                <Input id="q" name="q" type="search" label={{ text: 'Name or email' }} value={filter.query} />
              </div>
              <div class="govuk-grid-column-one-third">
                <FilterSelect choice={courseChoice} value={filter.course} errors={filterErrors} />
              </div>
              <div class="govuk-grid-column-one-third">
                <FilterSelect choice={invitedChoice} value={filter.invited} errors={filterErrors} />
              </div>
            </div>
            <Button text="Filter" classes="govuk-button--secondary" />
          </form>
          <p class="govuk-body">
            {total === 1 ? '1 person' : `${total} people`} ·{' '}
            <a class="govuk-link" href={`/admin/interest.csv?${new URLSearchParams(Object.entries({ course: filter.course ?? '', invited: filter.invited ?? '', q: filter.query ?? '' })).toString()}`}>
              Download as CSV
            </a>
          </p>
          {rows.length ? (
            <Table
              head={[{ text: 'Name' }, { text: 'Email' }, { text: 'NPQ' }, { text: 'Start' }, { text: 'Registered' }, { text: 'Invited' }]}
              rows={rows.map((r) => [{ text: r.name }, { text: r.email }, { text: names.get(r.courseIdentifier) ?? r.courseIdentifier }, { text: r.startPreference }, { text: formatDateTime(r.createdAt) }, { text: r.invitedAt ? formatDateTime(r.invitedAt) : 'Not yet' }])}
            />
          ) : (
            <EmptyList things="expressions of interest" filtered={page > 1 || Boolean(filter.course || filter.invited || filter.query)} clearHref="/admin/interest" />
          )}
          {pagination ? <Pagination {...pagination} /> : null}
          <h2 class="govuk-heading-m">Invite people to apply</h2>
          <p class="govuk-body">Emails everyone interested in the NPQ who has not been invited yet, with its next intake. Each person is invited once.</p>
          <form method="post" action="/admin/interest/invite" novalidate>
            <Csrf ctx={ctx} />
            <Select id="course" name="course" label={{ text: 'NPQ' }} errorMessage={errors?.course ? { text: errors.course } : undefined} items={[{ value: '', text: 'Choose an NPQ' }, ...courses.map((c) => ({ value: c.identifier, text: `${c.shortName}: ${c.name}` }))]} />
            <Button text="Invite to apply" preventDoubleClick />
          </form>
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get('/admin/interest', guard, async (req, reply) => listPage(req, reply));

  app.get('/admin/interest.csv', guard, async (req, reply) => {
    const { qualifications: everyCourse } = await catalogue.everyName();
    const { filter } = filterOf(req.query as Body, filterChoices(everyCourse));
    // Walked by key: someone registering during the download never shifts another into the next page.
    const everyone = await pagesAfter((after: InterestListKey | undefined, perPage) => interest.listAfter(req.actor, filter, after, perPage));
    const names = new Map(everyCourse.map((c) => [c.identifier, c.shortName]));
    const rows = csvBatches(['name', 'email', 'npq', 'start', 'role', 'school', 'registered', 'invited'], everyone, (r) => [
      r.name,
      r.email,
      names.get(r.courseIdentifier) ?? r.courseIdentifier,
      r.startPreference,
      r.role,
      r.schoolName,
      r.createdAt.toISOString(),
      r.invitedAt?.toISOString() ?? '',
    ]);
    return sendCsv(reply, 'interest', rows);
  });

  app.post('/admin/interest/invite', guard, async (req, reply) => {
    const course = String((req.body as Body)?.course ?? '');
    try {
      const n = await interest.inviteToApply(req.actor, course);
      reply.flash(n === 0 ? 'Everyone interested in that NPQ has already been invited.' : `${n} ${n === 1 ? 'person' : 'people'} invited to apply.`);
      return reply.redirect(`/admin/interest?course=${encodeURIComponent(course)}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return listPage(req, reply, err.fieldErrors);
      throw err;
    }
  });
}
