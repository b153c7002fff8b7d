import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireAbility, sendCsv } from '../../platform/admin';
import { formatDateTime } from '../../platform/clock';
import { Csrf } from '../../platform/csrf';
import { AppError, type FieldErrors, ValidationError } from '../../platform/errors';
import { one } from '../../platform/forms';
import { Layout } from '../../platform/layout';
import { FilterButtons } from '../../platform/list-filters';
import type { PageContext } from '../../platform/page-context';
import { requireSignIn } from '../../platform/web';
import { escapeHtml } from '../../ui/govuk/core';
import { Button, CharacterCount, InsetText, Radios, Select, Table } from '../../ui/govuk';
import { COMMENT_MAX, FEEDBACK_THRESHOLD, GROUPING_LABELS, RATING_LABELS, RATINGS, RESULT_GROUPINGS, type ResultGrouping, SURVEY_KIND_LABELS, SURVEY_KINDS, SURVEY_OPEN_DAYS, type SurveyKind } from '../domain/feedback';
import { readsFeedback } from '../domain/feedback.policy';
import type { FeedbackService } from '../feedback.service';
import { type FeedbackFilter, type ResultRow, THRESHOLDED_GROUPINGS } from '../results/feedback-results';
import { Flash } from '../../platform/flash';

type Body = Record<string, string | undefined>;
const uuid = z.uuid();
const BASE = '/feedback';
const idOr = (v: string) => (uuid.safeParse(v).success ? v : undefined);
const KEY = /^[A-Za-z0-9_-]{1,80}$/;

/** The grouping and filter a results address asks for; anything not one of ours is left out, never an error. */
function filterOf(q: Body): FeedbackFilter & { by: ResultGrouping } {
  const by = one(q.by) as ResultGrouping;
  const kind = one(q.kind) as SurveyKind;
  return {
    by: RESULT_GROUPINGS.includes(by) ? by : 'subject',
    kind: SURVEY_KINDS.includes(kind) ? kind : undefined,
    course: /^[a-z0-9-]{1,80}$/.test(one(q.course)) ? one(q.course) : undefined,
    cohort: idOr(one(q.cohort)),
    partner: idOr(one(q.partner)),
  };
}
const queryOf = (f: ReturnType<typeof filterOf>) => new URLSearchParams(Object.entries({ by: f.by === 'subject' ? undefined : f.by, kind: f.kind, course: f.course, cohort: f.cohort, partner: f.partner }).filter((e): e is [string, string] => Boolean(e[1]))).toString();

/** "4.2 out of 5", or "–" for a group too small to show (said in the next column). */
const ratingText = (r: ResultRow) => (r.hidden ? '–' : `${r.summary.average?.toFixed(1) ?? '–'} out of 5`);
const spreadText = (r: ResultRow) => (r.hidden ? `Fewer than ${FEEDBACK_THRESHOLD} responses: not shown` : RATINGS.map((n) => `${RATING_LABELS[n]} ${r.summary.counts[n]}`).join(', '));

/**
 * Participant feedback (issue 11 item 5): the participant's waiting surveys (`/programme/:eid/feedback`)
 * and each survey (`.../:kind/:key`), answered or skipped; and for the admin, partner leads,
 * facilitators and coaches the results (`/feedback`: grouped by subject, facilitator, venue, partner
 * or cohort, with comments per group and a CSV). Every page works without JavaScript.
 */
export async function feedbackRoutes(app: FastifyInstance, opts: { feedback: FeedbackService }) {
  const { feedback } = opts;
  const signedIn = { preHandler: requireSignIn };
  const guard = { preHandler: requireAbility(readsFeedback) };

  app.get<{ Params: { eid: string } }>('/programme/:eid/feedback', signedIn, async (req, reply) => {
    if (!uuid.safeParse(req.params.eid).success) return reply.callNotFound();
    const { waiting } = await feedback.mySurveys(req.actor, req.params.eid);
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title="Your feedback">
        <Flash ctx={ctx} />
        <a class="govuk-back-link" href="/programme">
          Your programme
        </a>
        <h1 class="govuk-heading-xl">Your feedback</h1>
        <p class="govuk-body">{`Tell us how each session, module and coaching session went: a rating, and a comment if you like. Your answers are not kept against your name. Your provider’s staff read them; a facilitator or coach who led it reads them only once at least ${FEEDBACK_THRESHOLD} people have answered. You can skip any survey. Each is open for ${SURVEY_OPEN_DAYS} days. Times are UK time.`}</p>
        {waiting.length ? (
          <ul class="govuk-list govuk-list--spaced">
            {waiting.map((s) => (
              <li>
                <a class="govuk-link" href={`/programme/${req.params.eid}/feedback/${s.kind}/${encodeURIComponent(s.subjectKey)}`}>
                  {`${s.title}`}
                </a>
                <br />
                <span class="govuk-hint govuk-!-margin-bottom-0">{`${SURVEY_KIND_LABELS[s.kind]}, ${formatDateTime(s.finishedAt)}`}</span>
              </li>
            ))}
          </ul>
        ) : (
          <InsetText text="Nothing to tell us about just now. A survey appears here after each session you attend, each module you finish and each coaching session." />
        )}
      </Layout>
    ));
  });

  type SurveyParams = { eid: string; kind: string; key: string };
  const surveyPage = async (req: FastifyRequest<{ Params: SurveyParams }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    const { survey } = await feedback.mySurvey(req.actor, req.params.eid, req.params.kind, req.params.key);
    const action = `/programme/${req.params.eid}/feedback/${survey.kind}/${encodeURIComponent(survey.subjectKey)}`;
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={`Feedback: ${survey.title}`} errors={errors}>
          <a class="govuk-back-link" href={`/programme/${req.params.eid}/feedback`}>
            Your feedback
          </a>
          <span class="govuk-caption-l">{SURVEY_KIND_LABELS[survey.kind]}</span>
          <h1 class="govuk-heading-xl">{survey.title}</h1>
          <form method="post" action={action} novalidate>
            <Csrf ctx={ctx} />
            <Radios
              name="rating"
              idPrefix="rating"
              fieldset={{ legend: { text: 'How good was it?', classes: 'govuk-fieldset__legend--m' } }}
              value={typed?.rating ?? ''}
              errorMessage={errors?.rating ? { text: errors.rating } : undefined}
              items={RATINGS.map((n) => ({ value: String(n), text: RATING_LABELS[n] }))}
            />
            {/* Counted as the page is typed in, never cut: GOV.UK's character count, not maxlength. */}
            <CharacterCount
              id="comment"
              name="comment"
              rows={5}
              maxlength={COMMENT_MAX}
              label={{ text: 'What worked, and what would have made it better? (optional)', classes: 'govuk-label--s' }}
              hint={{ text: `Not kept against your name. Read by your provider’s staff, and by a facilitator or coach who led it once ${FEEDBACK_THRESHOLD} or more people have answered.` }}
              value={typed?.comment ?? ''}
              errorMessage={errors?.comment ? { text: errors.comment } : undefined}
            />
            <div class="govuk-button-group">
              <Button text="Send your feedback" name="action" value="send" preventDoubleClick />
              <Button text="Skip this survey" name="action" value="skip" classes="govuk-button--secondary" />
            </div>
          </form>
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };
  const validSurvey = (p: SurveyParams) => uuid.safeParse(p.eid).success && SURVEY_KINDS.includes(p.kind as SurveyKind) && KEY.test(p.key);

  app.get<{ Params: SurveyParams }>('/programme/:eid/feedback/:kind/:key', signedIn, async (req, reply) => {
    if (!validSurvey(req.params)) return reply.callNotFound();
    // One answered or skipped already (a bookmark, the back button): said plainly, with where to go.
    if (await feedback.surveyClosed(req.actor, req.params.eid, req.params.kind, req.params.key)) {
      reply.flash('You have already answered or skipped this survey', 'important');
      return reply.redirect(`/programme/${req.params.eid}/feedback`, 303);
    }
    return surveyPage(req, reply);
  });

  // A refusal is answered at once: a kept page would hold the comment against this participant's place (docs/adr/0059).
  app.post<{ Params: SurveyParams }>('/programme/:eid/feedback/:kind/:key', { ...signedIn, config: { formReplay: false } }, async (req, reply) => {
    if (!validSurvey(req.params)) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    const typed = { rating: one(body.rating), comment: one(body.comment) };
    const { eid, kind, key } = req.params;
    try {
      if (one(body.action) === 'skip') {
        await feedback.skipSurvey(req.actor, eid, kind, key);
        reply.flash('Survey skipped. It will not be asked again.');
      } else {
        await feedback.answerSurvey(req.actor, eid, kind, key, typed);
        reply.flash('Thank you: your feedback is sent.');
      }
    } catch (err) {
      if (err instanceof ValidationError) return surveyPage(req, reply, err.fieldErrors, typed);
      if (err instanceof AppError && err.code === 'survey_closed') {
        reply.flash(err.message, 'important');
        return reply.redirect(`/programme/${eid}/feedback`, 303);
      }
      throw err;
    }
    return reply.redirect(`/programme/${eid}/feedback`, 303);
  });

  app.get(BASE, guard, async (req, reply) => {
    const f = filterOf((req.query ?? {}) as Body);
    const [results, choices] = await Promise.all([feedback.feedbackResults(req.actor, f.by, f), feedback.feedbackChoices(req.actor)]);
    // A facilitator or coach groups only by whole subjects, and filters only by what keeps them whole.
    f.by = results.groupBy;
    const groupings = results.thresholded ? THRESHOLDED_GROUPINGS : RESULT_GROUPINGS;
    const query = queryOf(f);
    const filtered = Boolean(f.kind || f.course || f.cohort || f.partner);
    const options = (list: { id: string; name: string }[]) => [{ value: '', text: 'All' }, ...list.map((x) => ({ value: x.id, text: x.name }))];
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title="Participants’ feedback">
        <h1 class="govuk-heading-xl">Participants’ feedback</h1>
        <p class="govuk-body">{`Ratings and comments participants gave after sessions, modules and coaching. No response is kept against anyone’s name.${results.thresholded ? ` You see what you led, once at least ${FEEDBACK_THRESHOLD} people have answered.` : ''}`}</p>
        <form method="get" action={BASE} novalidate>
          <div class="govuk-grid-row">
            <div class="govuk-grid-column-one-half">
              <Select id="by" name="by" label={{ text: 'Results per', classes: 'govuk-label--s' }} value={f.by} items={groupings.map((g) => ({ value: g, text: GROUPING_LABELS[g] }))} />
              <Select id="kind" name="kind" label={{ text: 'About', classes: 'govuk-label--s' }} value={f.kind ?? ''} items={[{ value: '', text: 'All' }, ...SURVEY_KINDS.map((k) => ({ value: k, text: SURVEY_KIND_LABELS[k] }))]} />
            </div>
            <div class="govuk-grid-column-one-half">
              <Select id="course" name="course" label={{ text: 'NPQ', classes: 'govuk-label--s' }} value={f.course ?? ''} items={options(choices.courses)} />
              {results.thresholded ? null : <Select id="cohort" name="cohort" label={{ text: 'Cohort', classes: 'govuk-label--s' }} value={f.cohort ?? ''} items={options(choices.cohorts)} />}
              {choices.partners.length > 1 && !results.thresholded ? <Select id="partner" name="partner" label={{ text: 'Delivery partner', classes: 'govuk-label--s' }} value={f.partner ?? ''} items={options(choices.partners)} /> : null}
            </div>
          </div>
          <FilterButtons clearHref={BASE} filtered={filtered || f.by !== 'subject'} csvHref={`${BASE}.csv?${query}`} />
        </form>
        <p class="govuk-body">{`${results.total.toLocaleString('en-GB')} ${results.total === 1 ? 'response' : 'responses'}${filtered ? (results.total === 1 ? ' matches' : ' match') : ''}${results.thresholded ? ' shown' : ''}.`}</p>
        {results.rows.length ? (
          <Table
            caption={`Feedback per ${GROUPING_LABELS[f.by].toLowerCase()}`}
            captionClasses="govuk-table__caption--m"
            head={[{ text: GROUPING_LABELS[f.by] }, { text: 'Responses', format: 'numeric' }, { text: 'Average rating', format: 'numeric' }, { text: 'How many gave each rating' }, { text: 'Comments', format: 'numeric' }]}
            rows={results.rows.map((r) => [
              { html: `${r.comments ? `<a class="govuk-link" href="${BASE}/comments?${escapeHtml(new URLSearchParams({ ...Object.fromEntries(new URLSearchParams(query)), by: f.by, value: r.value }).toString())}">${escapeHtml(r.label)}</a>` : escapeHtml(r.label)}${r.kind ? `<br><span class="govuk-hint govuk-!-margin-bottom-0">${escapeHtml(SURVEY_KIND_LABELS[r.kind])}</span>` : ''}` },
              { text: r.hidden ? '–' : String(r.summary.responses), format: 'numeric' },
              { text: ratingText(r), format: 'numeric' },
              { text: spreadText(r) },
              { text: r.hidden ? '–' : String(r.comments), format: 'numeric' },
            ])}
          />
        ) : (
          <InsetText text={filtered ? 'No responses match these filters.' : 'No responses yet: participants are asked after each session, module and coaching session.'} />
        )}
      </Layout>
    ));
  });

  app.get(`${BASE}/comments`, guard, async (req, reply) => {
    const q = (req.query ?? {}) as Body;
    const f = filterOf(q);
    const value = one(q.value);
    // A subject's value is its intake, kind and key; the others' are ids; none ('') is allowed.
    if (value && !(uuid.safeParse(value).success || /^[0-9a-f-]{0,36}\|[a-z]+\|[A-Za-z0-9_-]{1,80}$/.test(value))) return reply.callNotFound();
    const [{ comments, hidden, responses }, results] = await Promise.all([feedback.feedbackComments(req.actor, f.by, value, f), feedback.feedbackResults(req.actor, f.by, f)]);
    const row = results.rows.find((r) => r.value === value);
    if (!row) return reply.callNotFound();
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title={`Comments: ${row.label}`}>
        <a class="govuk-back-link" href={`${BASE}?${queryOf(f)}`}>
          Participants’ feedback
        </a>
        <span class="govuk-caption-l">{GROUPING_LABELS[f.by]}</span>
        <h1 class="govuk-heading-xl">{row.label}</h1>
        {hidden ? (
          <InsetText text={`Fewer than ${FEEDBACK_THRESHOLD} people have answered: what they said is not shown to you, so that nobody can tell who said it.`} />
        ) : (
          <>
            <p class="govuk-body">{`${responses} ${responses === 1 ? 'response' : 'responses'}, average ${row.summary.average?.toFixed(1) ?? '–'} out of 5; ${comments.length} with a comment. Comments are in order of rating, not of when they came${f.by === 'subject' ? '' : ', each with what it is about'}.`}</p>
            <ul class="govuk-list govuk-list--spaced">
              {comments.map((c) => (
                <li>
                  <strong>{`${c.rating} out of 5 (${RATING_LABELS[c.rating as (typeof RATINGS)[number]] ?? ''})`}</strong>
                  {f.by === 'subject' ? null : <p class="govuk-hint govuk-!-margin-bottom-0">{`About ${c.subject}`}</p>}
                  <p class="govuk-body app-prewrap govuk-!-margin-bottom-0">{c.comment}</p>
                </li>
              ))}
            </ul>
          </>
        )}
      </Layout>
    ));
  });

  app.get(`${BASE}.csv`, guard, async (req, reply) => {
    const f = filterOf((req.query ?? {}) as Body);
    const { rows, names, thresholded } = await feedback.feedbackExport(req.actor, f);
    // No month for anyone (one late answer would stand out); for a facilitator or coach, nothing that could split a subject (cohort, partner).
    const columns: [string, (r: (typeof rows)[number]) => string | number][] = [
      ['About', (r) => SURVEY_KIND_LABELS[r.kind as SurveyKind] ?? r.kind],
      ['Subject', (r) => r.subjectTitle],
      ['Intake', (r) => (r.intakeId ? (names.intakes.get(r.intakeId)?.name ?? '') : '')],
      ['NPQ', (r) => names.courses.get(r.courseIdentifier) ?? r.courseIdentifier],
      ...(thresholded
        ? []
        : ([
            ['Cohort', (r) => (r.cohortId ? (names.cohorts.get(r.cohortId) ?? '') : '')],
            ['Delivery partner', (r) => (r.deliveryPartnerId ? (names.partners.get(r.deliveryPartnerId) ?? '') : '')],
          ] as [string, (r: (typeof rows)[number]) => string][])),
      ['Venue', (r) => (r.venueId ? `${names.venues.get(r.venueId)?.name ?? ''}, ${names.venues.get(r.venueId)?.town ?? ''}` : '')],
      ['Facilitator or coach', (r) => (r.facilitatorUserId ? (names.people.get(r.facilitatorUserId) ?? '') : '')],
      ['Rating', (r) => r.rating],
      ['Comment', (r) => r.comment],
    ];
    return sendCsv(reply, 'feedback.csv', [columns.map(([h]) => h), ...rows.map((r) => columns.map(([, cell]) => cell(r)))]);
  });
}
