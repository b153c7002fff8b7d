import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { pageNumber, paginationFor, requireAbility } from '../../platform/admin';
import { formatDate } from '../../platform/clock';
import { Csrf } from '../../platform/csrf';
import { type FieldErrors, ValidationError } from '../../platform/errors';
import { Flash } from '../../platform/flash';
import { asArray, one } from '../../platform/forms';
import { Layout } from '../../platform/layout';
import { EmptyList, type FilterChoice, FilterButtons, FilterSelect, chosenFilters } from '../../platform/list-filters';
import type { PageContext } from '../../platform/page-context';
import { requireSignIn } from '../../platform/web';
import { Button, Checkboxes, Input, InsetText, Pagination, Radios, SummaryList, Tag, Textarea, WarningText } from '../../ui/govuk';
import type { AssessmentService } from '../assessment.service';
import { managesAssessment } from '../domain/assessment.policy';
import { LIBRARY_NOTE_MAX, LIBRARY_PHASES, LIBRARY_TEXT_MAX, LIBRARY_THEMES, LIBRARY_THEMES_MAX, LIBRARY_TITLE_MAX, LIBRARY_WORKFLOW, type LibraryPhase, type LibraryState, type LibraryTheme } from '../domain/library';
import type { LibraryEntry } from '../library/library';
import { refusedTo } from './refused';

type Body = Record<string, unknown>;
const uuid = z.uuid();
const valid = (id: string) => uuid.safeParse(id).success;
const TASK = /^[a-z0-9-]{1,40}$/;
const PUBLIC_PER_PAGE = 20;
const REVIEW_PER_PAGE = 50;

/** What each state is called on the participant's and the admin's pages. */
export const LIBRARY_STATE_TEXT: Record<LibraryState, string> = { in_review: 'Waiting for review', published: 'Published', returned: 'Returned for changes', withdrawn: 'Withdrawn' };
const STATE_TAG: Record<LibraryState, string> = { in_review: 'govuk-tag--yellow', published: 'govuk-tag--green', returned: 'govuk-tag--orange', withdrawn: 'govuk-tag--grey' };

const labelled = <K extends string>(m: Record<K, string>) => Object.entries(m).map(([value, text]) => ({ value, text: text as string }));
const themeNames = (themes: readonly string[]) => themes.map((t) => LIBRARY_THEMES[t as LibraryTheme] ?? t).join(', ');
const firstWords = (text: string, max = 280) => ([...text].length > max ? `${[...text].slice(0, max).join('').replace(/\s+\S*$/, '')}…` : text);

/** An entry as the public sees it: used by its public page and by the admin's preview, so the admin reviews exactly what will be shown. */
function EntryShown({ entry, qualification }: { entry: LibraryEntry; qualification: string }) {
  return (
    <>
      <SummaryList
        rows={[
          { key: { text: 'NPQ' }, value: { text: qualification } },
          { key: { text: 'Phase' }, value: { text: LIBRARY_PHASES[entry.phase as LibraryPhase] ?? entry.phase } },
          { key: { text: 'Themes' }, value: { text: themeNames(entry.themes) } },
          entry.schoolName ? { key: { text: 'School' }, value: { text: entry.schoolName } } : null,
          entry.publishedAt ? { key: { text: 'Published' }, value: { text: formatDate(entry.publishedAt) } } : null,
        ]}
      />
      <h2 class="govuk-heading-m">The project</h2>
      <p class="govuk-body app-preserve-lines">{entry.summary}</p>
      <h2 class="govuk-heading-m">Its impact</h2>
      <p class="govuk-body app-preserve-lines">{entry.impact}</p>
    </>
  );
}

/**
 * The School Improvement Library (issue 12 item 7): a participant shares a passed project
 * (`/programme/:eid/assessment/library/:task`) and can withdraw it; the provider's admin reviews,
 * publishes, returns or takes entries down (`/assessment/library`); anyone searches and filters the
 * published entries (`/library`) and reads one (`/library/:id`).
 */
export async function libraryRoutes(app: FastifyInstance, opts: { assessment: AssessmentService }) {
  const { assessment } = opts;
  const signedIn = { preHandler: requireSignIn };
  const admin = { preHandler: requireAbility(managesAssessment) };
  const results = (eid: string) => `/programme/${eid}/assessment/results`;

  // ——— The participant shares a project ———

  type ShareReq = FastifyRequest<{ Params: { eid: string; task: string } }>;
  const sharePage = async (req: ShareReq, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    const { task, entry, shareable, school } = await assessment.myLibraryEntry(req.actor, req.params.eid, req.params.task);
    const shown: Body = typed ?? (entry ? { title: entry.title, summary: entry.summary, impact: entry.impact, phase: entry.phase, themes: entry.themes, nameSchool: entry.schoolName ? 'yes' : 'no' } : {});
    const error = (k: string) => (errors?.[k] ? { text: errors[k]! } : undefined);
    const action = `/programme/${req.params.eid}/assessment/library/${task.key}`;
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={`Share your project: ${task.title}`} errors={errors}>
          <Flash ctx={ctx} />
          <a class="govuk-back-link" href={results(req.params.eid)}>
            Your results
          </a>
          <span class="govuk-caption-l">{task.title}</span>
          <h1 class="govuk-heading-xl">Share your project in the School Improvement Library</h1>
          {entry ? (
            <p class="govuk-body">
              {'This entry is: '}
              <Tag text={LIBRARY_STATE_TEXT[entry.state as LibraryState]} classes={STATE_TAG[entry.state as LibraryState]} />
              {entry.state === 'published' ? (
                <>
                  {' '}
                  <a class="govuk-link" href={`/library/${entry.id}`}>
                    See it in the library
                  </a>
                </>
              ) : null}
            </p>
          ) : null}
          {entry?.state === 'returned' && entry.reviewNote ? (
            <InsetText>
              <p class="govuk-body govuk-!-font-weight-bold">What to change</p>
              <p class="govuk-body app-preserve-lines">{entry.reviewNote}</p>
            </InsetText>
          ) : null}
          {shareable && entry?.state === 'published' ? <WarningText text="If you change it, it leaves the library until we have read it again." /> : null}
          {shareable ? (
            <>
              <p class="govuk-body">Other school leaders read the library to see what an NPQ project can do. We read every entry before it is published. Your name is never shown.</p>
              <WarningText text="Leave out every pupil’s name and anything that could identify a pupil: their class with a small group, their needs, photographs or data about them." />
              <form method="post" action={action} novalidate>
                <Csrf ctx={ctx} />
                <Input id="title" name="title" label={{ text: 'Title', classes: 'govuk-label--s' }} hint={{ text: `Up to ${LIBRARY_TITLE_MAX} characters` }} value={one(shown.title)} errorMessage={error('title')} />
                <Textarea id="summary" name="summary" rows={6} label={{ text: 'What the project set out to do, and what you did', classes: 'govuk-label--s' }} hint={{ text: `Up to ${LIBRARY_TEXT_MAX.toLocaleString('en-GB')} characters` }} value={one(shown.summary)} errorMessage={error('summary')} />
                <Textarea id="impact" name="impact" rows={6} label={{ text: 'The difference it made', classes: 'govuk-label--s' }} hint={{ text: `For pupils, staff or the school, and how you know. Up to ${LIBRARY_TEXT_MAX.toLocaleString('en-GB')} characters` }} value={one(shown.impact)} errorMessage={error('impact')} />
                <Radios name="phase" idPrefix="phase" fieldset={{ legend: { text: 'Phase', classes: 'govuk-fieldset__legend--s' } }} value={one(shown.phase)} items={labelled(LIBRARY_PHASES)} errorMessage={error('phase')} />
                <Checkboxes idPrefix="themes" name="themes" fieldset={{ legend: { text: 'Themes', classes: 'govuk-fieldset__legend--s' } }} hint={{ text: `Select up to ${LIBRARY_THEMES_MAX}` }} values={asArray(shown.themes)} items={labelled(LIBRARY_THEMES)} errorMessage={error('themes')} />
                <Radios
                  name="nameSchool"
                  idPrefix="nameSchool"
                  fieldset={{ legend: { text: 'May we name your school?', classes: 'govuk-fieldset__legend--s' } }}
                  hint={{ text: school ? `Your school: ${school}` : 'We do not have your school’s name, so it will not be shown either way.' }}
                  value={one(shown.nameSchool)}
                  items={[
                    { value: 'yes', text: 'Yes, name my school' },
                    { value: 'no', text: 'No, leave it unnamed' },
                  ]}
                  errorMessage={error('nameSchool')}
                />
                <Checkboxes idPrefix="noPupilData" name="noPupilData" fieldset={{ legend: { text: 'Pupils', classes: 'govuk-fieldset__legend--s' } }} values={asArray(typed?.noPupilData)} items={[{ value: 'yes', text: 'No pupil can be identified from what I share' }]} errorMessage={error('noPupilData')} />
                <Checkboxes
                  idPrefix="consent"
                  name="consent"
                  fieldset={{ legend: { text: 'Your consent', classes: 'govuk-fieldset__legend--s' } }}
                  hint={{ text: 'You can withdraw your entry at any time, and it leaves the library at once.' }}
                  values={asArray(typed?.consent)}
                  items={[{ value: 'yes', text: 'I agree to this being published in the School Improvement Library' }]}
                  errorMessage={error('consent')}
                />
                <Button text={entry && entry.state !== 'withdrawn' ? 'Send the changes for review' : 'Send for review'} preventDoubleClick />
              </form>
            </>
          ) : (
            <InsetText>
              <p class="govuk-body">This project can no longer be shared: its result is no longer a pass, or your outcome is voided. Your entry is not shown in the library. You can still withdraw it.</p>
            </InsetText>
          )}
          {entry && entry.state !== 'withdrawn' ? (
            <form method="post" action={`${action}/withdraw`} novalidate>
              <Csrf ctx={ctx} />
              <h2 class="govuk-heading-m">Withdraw it</h2>
              <p class="govuk-body">Your entry leaves the library, or our review, at once. You can share it again later.</p>
              <Button text="Withdraw my entry" classes="govuk-button--warning" preventDoubleClick />
            </form>
          ) : null}
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  const shareParams = (req: ShareReq) => valid(req.params.eid) && TASK.test(req.params.task);

  app.get<{ Params: { eid: string; task: string } }>('/programme/:eid/assessment/library/:task', signedIn, async (req, reply) => {
    if (!shareParams(req)) return reply.callNotFound();
    return sharePage(req, reply);
  });

  app.post<{ Params: { eid: string; task: string } }>('/programme/:eid/assessment/library/:task', { ...signedIn, config: { repeatable: ['themes'] } }, async (req, reply) => {
    if (!shareParams(req)) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    try {
      await assessment.shareProject(req.actor, req.params.eid, req.params.task, body);
    } catch (err) {
      if (err instanceof ValidationError) return sharePage(req, reply, err.fieldErrors, body);
      throw err;
    }
    reply.flash('Your project is sent for review. We will email you when it is published, or if we ask for a change.');
    return reply.redirect(results(req.params.eid), 303);
  });

  app.post<{ Params: { eid: string; task: string } }>('/programme/:eid/assessment/library/:task/withdraw', signedIn, async (req, reply) => {
    if (!shareParams(req)) return reply.callNotFound();
    try {
      await assessment.withdrawProject(req.actor, req.params.eid, req.params.task);
    } catch (err) {
      return refusedTo(reply, err, `/programme/${req.params.eid}/assessment/library/${req.params.task}`);
    }
    reply.flash('Your entry is withdrawn from the library. You can share it again at any time.');
    return reply.redirect(results(req.params.eid), 303);
  });

  // ——— The admin reviews entries ———

  const stateOf = (v: unknown): LibraryState => ((LIBRARY_WORKFLOW.states as readonly string[]).includes(one(v)) ? (one(v) as LibraryState) : 'in_review');

  app.get<{ Querystring: Body }>('/assessment/library', admin, async (req, reply) => {
    const state = stateOf(req.query?.state);
    const page = pageNumber(req.query?.page);
    const list = await assessment.libraryReviewList(req.actor, state, page, REVIEW_PER_PAGE);
    const pagination = paginationFor(page, Math.ceil(list.total / REVIEW_PER_PAGE), '/assessment/library', { state });
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title="School Improvement Library: entries">
        <Flash ctx={ctx} />
        <h1 class="govuk-heading-xl">School Improvement Library: entries</h1>
        <p class="govuk-body">
          {'Participants share passed projects here. Read each one before publishing it: no pupil may be identifiable. '}
          <a class="govuk-link" href="/library">
            See the library as the public does
          </a>
        </p>
        <search>
          <form method="get" action="/assessment/library" class="app-filters">
            <FilterSelect choice={{ id: 'state', name: 'state', label: 'Show', items: LIBRARY_WORKFLOW.states.map((s) => ({ value: s, text: LIBRARY_STATE_TEXT[s] })) }} value={state} errors={undefined} />
            <Button text="Show" classes="govuk-button--secondary" />
          </form>
        </search>
        <p class="govuk-body" role="status">{`${list.total.toLocaleString('en-GB')} ${list.total === 1 ? 'entry' : 'entries'} ${LIBRARY_STATE_TEXT[state].toLowerCase()}`}</p>
        {list.rows.length ? (
          <table class="govuk-table">
            <caption class="govuk-table__caption govuk-visually-hidden">Entries</caption>
            <thead class="govuk-table__head">
              <tr class="govuk-table__row">
                <th scope="col" class="govuk-table__header">
                  Title
                </th>
                <th scope="col" class="govuk-table__header">
                  Participant
                </th>
                <th scope="col" class="govuk-table__header">
                  NPQ
                </th>
                <th scope="col" class="govuk-table__header">
                  Last changed
                </th>
              </tr>
            </thead>
            <tbody class="govuk-table__body">
              {list.rows.map((r) => (
                <tr class="govuk-table__row">
                  <td class="govuk-table__cell">
                    <a class="govuk-link" href={`/assessment/library/${r.entry.id}`}>
                      {r.entry.title}
                    </a>
                  </td>
                  <td class="govuk-table__cell">{r.participant}</td>
                  <td class="govuk-table__cell">{r.qualification}</td>
                  <td class="govuk-table__cell">{formatDate(r.entry.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p class="govuk-body">{`No entries are ${LIBRARY_STATE_TEXT[state].toLowerCase()}.`}</p>
        )}
        {pagination ? <Pagination {...pagination} /> : null}
      </Layout>
    ));
  });

  const reviewPage = async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    const r = await assessment.libraryEntryForReview(req.actor, req.params.id);
    const state = r.entry.state as LibraryState;
    const decisions = [...(state === 'in_review' && !r.voided && r.passed ? [{ value: 'publish', text: 'Publish it' }] : []), ...(state === 'in_review' || state === 'published' ? [{ value: 'return', text: state === 'published' ? 'Take it down and return it for changes' : 'Return it for changes' }] : [])];
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={`Library entry: ${r.entry.title}`} errors={errors}>
          <Flash ctx={ctx} />
          <a class="govuk-back-link" href={`/assessment/library?state=${state}`}>
            Library entries
          </a>
          <span class="govuk-caption-l">{`${r.participant}, ${r.qualification}`}</span>
          <h1 class="govuk-heading-xl">{r.entry.title}</h1>
          <p class="govuk-body">
            <Tag text={LIBRARY_STATE_TEXT[state]} classes={STATE_TAG[state]} />
          </p>
          {r.voided ? <WarningText text="This participant’s outcome is voided, so the entry is not shown and cannot be published." /> : !r.passed ? <WarningText text="This project’s result is no longer a pass (a review of marking changed it), so the entry is not shown and cannot be published." /> : null}
          {r.entry.reviewNote ? (
            <InsetText>
              <p class="govuk-body app-preserve-lines">{`Note: ${r.entry.reviewNote}`}</p>
            </InsetText>
          ) : null}
          <p class="govuk-body">{`Shared with consent on ${formatDate(r.entry.consentedAt)}. ${r.entry.schoolName ? 'The participant agreed to their school being named.' : 'The school is not named.'} As the public would see it:`}</p>
          <EntryShown entry={r.entry} qualification={r.qualification} />
          {decisions.length ? (
            <form method="post" action={`/assessment/library/${r.entry.id}`} novalidate>
              <Csrf ctx={ctx} />
              <input type="hidden" name="seen" value={String(r.entry.updatedAt.getTime())} />
              <Radios name="decision" idPrefix="decision" fieldset={{ legend: { text: 'Your decision', classes: 'govuk-fieldset__legend--m' } }} value={one(typed?.decision)} items={decisions} errorMessage={errors?.decision ? { text: errors.decision } : undefined} />
              <Textarea
                id="note"
                name="note"
                rows={4}
                label={{ text: 'Note to the participant', classes: 'govuk-label--s' }}
                hint={{ text: `Needed when you return it: say what to change. Up to ${LIBRARY_NOTE_MAX.toLocaleString('en-GB')} characters.` }}
                value={one(typed?.note)}
                errorMessage={errors?.note ? { text: errors.note } : undefined}
              />
              <Button text="Save decision" preventDoubleClick />
            </form>
          ) : (
            <p class="govuk-body">{state === 'withdrawn' ? 'The participant withdrew this entry. Nothing is to be decided unless they share it again.' : 'The participant has it to change. Nothing is to be decided until they send it again.'}</p>
          )}
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: { id: string } }>('/assessment/library/:id', admin, async (req, reply) => {
    if (!valid(req.params.id)) return reply.callNotFound();
    return reviewPage(req, reply);
  });

  app.post<{ Params: { id: string } }>('/assessment/library/:id', admin, async (req, reply) => {
    if (!valid(req.params.id)) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    let decision: 'publish' | 'return';
    try {
      decision = await assessment.reviewLibraryEntry(req.actor, req.params.id, body);
    } catch (err) {
      if (err instanceof ValidationError) return reviewPage(req, reply, err.fieldErrors, body);
      return refusedTo(reply, err, `/assessment/library/${req.params.id}`);
    }
    reply.flash(decision === 'publish' ? 'The entry is published. We emailed the participant.' : 'The entry is returned. We emailed the participant your note.');
    return reply.redirect('/assessment/library', 303);
  });

  // ——— Anyone reads the library ———

  app.get<{ Querystring: Body }>('/library', async (req, reply) => {
    const q = one(req.query?.q).trim().slice(0, 200);
    const page = pageNumber(req.query?.page);
    const query = Object.fromEntries(Object.entries(req.query ?? {}).map(([k, v]) => [k, one(v)])) as Record<string, string>;
    const phaseChoice: FilterChoice = { id: 'phase', name: 'phase', label: 'Phase', items: [{ value: '', text: 'Any phase' }, ...labelled(LIBRARY_PHASES)] };
    const themeChoice: FilterChoice = { id: 'theme', name: 'theme', label: 'Theme', items: [{ value: '', text: 'Any theme' }, ...labelled(LIBRARY_THEMES)] };
    // Every NPQ is offered, with entries or not yet: a link to one with none finds none, not an error.
    const courses = await assessment.libraryQualifications();
    const courseChoice: FilterChoice = { id: 'npq', name: 'npq', label: 'NPQ', items: [{ value: '', text: 'Any NPQ' }, ...courses.map((c) => ({ value: c.identifier, text: c.name }))] };
    const chosen = chosenFilters(query, [courseChoice, phaseChoice, themeChoice]);
    const filter = { q: q || undefined, course: chosen.values.npq, phase: chosen.values.phase as LibraryPhase | undefined, theme: chosen.values.theme as LibraryTheme | undefined };
    const list = await assessment.publicLibrary(filter, page, PUBLIC_PER_PAGE);
    const filtered = Boolean(q || filter.course || filter.phase || filter.theme);
    const pagination = paginationFor(page, Math.ceil(list.total / PUBLIC_PER_PAGE), '/library', { q: q || undefined, npq: filter.course, phase: filter.phase, theme: filter.theme });
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title="School Improvement Library" errors={chosen.errors}>
          <h1 class="govuk-heading-xl">School Improvement Library</h1>
          <p class="govuk-body-l">As part of their final assessment, NPQ participants lead a school improvement project. These are some of them, shared by the leaders who ran them.</p>
          <search>
            <form method="get" action="/library" class="app-filters">
              <Input id="q" name="q" type="search" label={{ text: 'Search the library', classes: 'govuk-label--s' }} hint={{ text: 'Words from a title, summary or impact, like reading fluency' }} value={q} />
              <FilterSelect choice={courseChoice} value={chosen.values.npq} errors={chosen.errors} />
              <FilterSelect choice={phaseChoice} value={chosen.values.phase} errors={chosen.errors} />
              <FilterSelect choice={themeChoice} value={chosen.values.theme} errors={chosen.errors} />
              <FilterButtons clearHref="/library" filtered={filtered} />
            </form>
          </search>
          <p class="govuk-body" role="status">{`${list.total.toLocaleString('en-GB')} ${list.total === 1 ? 'project' : 'projects'}`}</p>
          {list.rows.length ? (
            <ul class="govuk-list app-library-list">
              {list.rows.map(({ entry, qualification }) => (
                <li class="govuk-!-margin-bottom-6">
                  <h2 class="govuk-heading-m govuk-!-margin-bottom-1">
                    <a class="govuk-link" href={`/library/${entry.id}`}>
                      {entry.title}
                    </a>
                  </h2>
                  <p class="govuk-body-s govuk-!-margin-bottom-1">{[qualification, LIBRARY_PHASES[entry.phase as LibraryPhase], themeNames(entry.themes), entry.schoolName].filter(Boolean).join(' · ')}</p>
                  <p class="govuk-body">{firstWords(entry.summary)}</p>
                </li>
              ))}
            </ul>
          ) : (
            <EmptyList things="projects" filtered={filtered} clearHref="/library" />
          )}
          {pagination ? <Pagination {...pagination} /> : null}
        </Layout>
      ),
    );
  });

  app.get<{ Params: { id: string } }>('/library/:id', async (req, reply) => {
    if (!valid(req.params.id)) return reply.callNotFound();
    const { entry, qualification } = await assessment.publicLibraryEntry(req.params.id);
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title={entry.title}>
        <a class="govuk-back-link" href="/library">
          School Improvement Library
        </a>
        <span class="govuk-caption-l">School improvement project</span>
        <h1 class="govuk-heading-xl">{entry.title}</h1>
        <EntryShown entry={entry} qualification={qualification} />
      </Layout>
    ));
  });
}
