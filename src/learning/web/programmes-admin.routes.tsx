import { one } from '../../platform/forms';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requirePermission } from '../../platform/admin';
import { formatDateTime } from '../../platform/clock';
import { Csrf } from '../../platform/csrf';
import { AppError, type FieldErrors, ValidationError } from '../../platform/errors';
import { Layout } from '../../platform/layout';
import type { PageContext } from '../../platform/page-context';
import { Button, Details, Input, InsetText, NotificationBanner, Table, Textarea } from '../../ui/govuk';
import { escapeHtml } from '../../ui/govuk/core';
import { programmeFromOutline, programmeToOutline } from '../domain/outline';
import { programmeMinutes } from '../domain/programme';
import type { LearningService } from '../learning.service';
import { hoursAndMinutes } from './labels';

type Body = Record<string, string | undefined>;
const IDENTIFIER = /^[a-z0-9-]{1,80}$/;

/** What a new programme's editor starts from: one of each line, to change. */
const STARTER = [
  'Course: The course’s title',
  '  Module: The first module’s title (240 minutes)',
  '    Reading: What to read',
  '      | Write the page here, in Markdown: ## for a heading, - for a list.',
  '    Video: A video to watch https://www.example.org/video',
  '    Reflection: A question to reflect on',
  '    Core task: The task participants send for review',
  '      | What the task asks.',
  'Event: Event 1: Induction (360 minutes)',
  '  Agenda: The first agenda item',
  '  Pre-work: Before Event 1',
  '    | What to do before the event.',
  'Briefing: Qualification information (90 minutes)',
  '  | What the briefing covers.',
].join('\n');

const HOW_TO =
  'Each line starts with what it is, then a colon: Course, Module, Reading, Video, Link, File, Reflection, Core task, Event, Agenda, Pre-work or Briefing. Modules, events and briefings end with their guided learning, like “(300 minutes)”; videos, links and files with their address. Lines starting “|” are the text of the piece above, in Markdown. Keep the {key} at the end of a title: it ties the piece to the dates and progress already recorded against it. Leave it off a new piece.';

/**
 * The provider admin's programme pages (issue 10 item 1): every NPQ's programme, and an editor in
 * which saving makes a new version. Intakes keep the version they have until moved on from their
 * delivery plan.
 */
export async function programmesAdminRoutes(app: FastifyInstance, opts: { learning: LearningService }) {
  const { learning } = opts;
  const guard = { preHandler: requirePermission('learning:manage') };

  app.get('/admin/programmes', guard, async (req, reply) => {
    const rows = await learning.programmesOverview(req.actor);
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title="Programmes">
        <h1 class="govuk-heading-xl">Programmes</h1>
        <p class="govuk-body">What each NPQ’s participants study and attend: online courses and their modules, events with their agendas and pre-work, and briefings. Each intake’s dates are set in its delivery plan.</p>
        <Table
          caption="NPQs and their programmes"
          captionClasses="govuk-visually-hidden"
          head={[{ text: 'NPQ' }, { text: 'Programme' }]}
          rows={rows.map(({ qualification, version }) => [
            { html: `<a class="govuk-link" href="/admin/programmes/${qualification.identifier}">${escapeHtml(qualification.name)}</a>${qualification.retired ? ' (retired)' : ''}` },
            { text: version ? `Version ${version}` : 'Not built yet' },
          ])}
        />
      </Layout>
    ));
  });

  const editorPage = async (req: FastifyRequest<{ Params: { identifier: string } }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    const { qualification, versions } = await learning.programmeVersionsOf(req.actor, req.params.identifier);
    const newest = versions[0];
    const minutes = newest ? programmeMinutes(newest.content) : undefined;
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={`Programme: ${qualification.shortName}`} errors={errors}>
          {ctx.flash ? <NotificationBanner type="success" text={ctx.flash} /> : null}
          <a class="govuk-back-link" href="/admin/programmes">
            Programmes
          </a>
          <span class="govuk-caption-l">{qualification.name}</span>
          <h1 class="govuk-heading-xl">{newest ? `Programme, version ${newest.version}` : 'Build the programme'}</h1>
          {newest && minutes ? (
            <p class="govuk-body" id="programme-summary">
              {newest.content.courses.length} online courses of {newest.content.courses.reduce((n, c) => n + c.modules.length, 0)} modules ({hoursAndMinutes(minutes.onlineCourses)}), {newest.content.events.length} events ({hoursAndMinutes(minutes.events)}) and {newest.content.briefings.length} briefings ({hoursAndMinutes(minutes.briefings)}).
            </p>
          ) : (
            <InsetText text="This NPQ has no programme yet. Change the outline below into its courses, events and briefings, and save it." />
          )}
          <form method="post" action={`/admin/programmes/${qualification.identifier}`} novalidate>
            <Csrf ctx={ctx} />
            <Textarea
              id="outline"
              name="outline"
              rows={30}
              spellcheck={false}
              label={{ text: 'The programme, a line for each piece', classes: 'govuk-label--m' }}
              hint={{ text: HOW_TO }}
              value={typed?.outline ?? (newest ? programmeToOutline(newest.content) : STARTER)}
              errorMessage={errors?.outline ? { text: errors.outline } : undefined}
            />
            <Input id="note" name="note" label={{ text: 'What you changed (optional)', classes: 'govuk-label--s' }} hint={{ text: 'Kept with the version, so others can see why it changed' }} value={typed?.note} maxlength={500} />
            <Button text={newest ? `Save as version ${newest.version + 1}` : 'Save the programme'} preventDoubleClick />
          </form>
          {versions.length ? (
            <Details summaryText={`Every version (${versions.length})`} html={`<ul class="govuk-list">${versions.map((v) => `<li>Version ${v.version}, ${escapeHtml(formatDateTime(v.createdAt))}${v.note ? `: ${escapeHtml(v.note)}` : ''}</li>`).join('')}</ul>`} />
          ) : null}
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: { identifier: string } }>('/admin/programmes/:identifier', guard, async (req, reply) => (IDENTIFIER.test(req.params.identifier) ? editorPage(req, reply) : reply.callNotFound()));

  app.post<{ Params: { identifier: string } }>('/admin/programmes/:identifier', guard, async (req, reply) => {
    if (!IDENTIFIER.test(req.params.identifier)) return reply.callNotFound();
    const b = (req.body ?? {}) as Body;
    const outline = one(b.outline);
    if (outline.length > 400_000) return editorPage(req, reply, { outline: 'The programme must be 400,000 characters or fewer' }, b);
    const { versions } = await learning.programmeVersionsOf(req.actor, req.params.identifier);
    const read = programmeFromOutline(outline, versions[0]?.content);
    if (!read.ok) return editorPage(req, reply, { outline: read.message }, b);
    try {
      const version = await learning.saveProgrammeVersion(req.actor, req.params.identifier, { content: read.content, note: one(b.note) });
      reply.flash(`Saved as version ${version}. Intakes keep the version they follow until you move them on from their delivery plan; intakes not yet planned follow it now.`);
    } catch (err) {
      if (err instanceof ValidationError) return editorPage(req, reply, { outline: err.fieldErrors.content ?? 'Check the programme' }, b);
      if (err instanceof AppError && err.code === 'version_taken') return editorPage(req, reply, { outline: err.message }, b);
      throw err;
    }
    return reply.redirect(`/admin/programmes/${req.params.identifier}`, 303);
  });
}
