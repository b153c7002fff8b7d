import { one } from '../../platform/forms';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderToString } from 'preact-render-to-string';
import { z } from 'zod';
import { requirePermission, uploadRoute } from '../../platform/admin';
import { fileLink, sendDownload } from '../../platform/file-download';
import { acceptOf, fileTypesText } from '../../platform/file-types';
import { MATERIAL_FILE_TYPES, MATERIAL_MAX_BYTES } from '../domain/material';
import { acceptFileForms, sentFile } from '../../platform/file-forms';
import { formatDateTime } from '../../platform/clock';
import { Csrf } from '../../platform/csrf';
import { AppError, type FieldErrors, ValidationError } from '../../platform/errors';
import { Layout } from '../../platform/layout';
import type { PageContext } from '../../platform/page-context';
import { Button, Details, FileUpload, Input, InsetText, Table, Textarea } from '../../ui/govuk';
import { escapeHtml } from '../../ui/govuk/core';
import { programmeFromOutline, programmeToOutline } from '../domain/outline';
import { programmeMinutes } from '../domain/programme';
import type { LearningService } from '../learning.service';
import { hoursAndMinutes } from './labels';
import { Flash } from '../../platform/flash';

type Body = Record<string, string | undefined>;
const IDENTIFIER = /^[a-z0-9-]{1,80}$/;
const uuid = z.uuid();

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
  'Each line starts with what it is, then a colon: Course, Module, Reading, Video, Link, File, Reflection, Core task, Event, Agenda, Pre-work or Briefing. Modules, events and briefings end with their guided learning, like “(300 minutes)”; videos and links with their address; files with the name of a file uploaded for the programme (or an address). Lines starting “|” are the text of the piece above, in Markdown. Keep the {key} at the end of a title: it ties the piece to the dates and progress already recorded against it. Leave it off a new piece.';

/**
 * The provider admin's programme pages (issue 10 item 1): every NPQ's programme, and an editor in
 * which saving makes a new version. Intakes keep the version they have until moved on from their
 * delivery plan.
 */
export async function programmesAdminRoutes(app: FastifyInstance, opts: { learning: LearningService }) {
  const { learning } = opts;
  const guard = { preHandler: requirePermission('learning:manage') };
  await acceptFileForms(app, MATERIAL_MAX_BYTES, 5);

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
            { html: `<a class="govuk-link" href="/admin/programmes/${qualification.identifier}">${escapeHtml(qualification.name)} (${escapeHtml(qualification.shortName)})</a>${qualification.retired ? ' (retired)' : ''}` },
            { text: version ? `Version ${version}` : 'Not built yet' },
          ])}
        />
      </Layout>
    ));
  });

  const editorPage = async (req: FastifyRequest<{ Params: { identifier: string } }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    const [{ qualification, versions }, files] = await Promise.all([learning.programmeVersionsOf(req.actor, req.params.identifier), learning.materialsOf(req.actor, req.params.identifier)]);
    const newest = versions[0];
    const minutes = newest ? programmeMinutes(newest.content) : undefined;
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={`Programme: ${qualification.shortName}`} errors={errors}>
          <Flash ctx={ctx} />
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
          <p class="govuk-body">
            Files for participants to download (a handbook, slides):{' '}
            {files.length ? `${files.length} uploaded.` : 'none uploaded yet.'}{' '}
            <a class="govuk-link" href={`/admin/programmes/${qualification.identifier}/files`}>
              {files.length ? 'See or upload files' : 'Upload a file'}
            </a>{' '}
            (save your changes here first).
          </p>
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
            <Input id="note" name="note" label={{ text: 'What you changed (optional)', classes: 'govuk-label--s' }} hint={{ text: 'Kept with the version, so others can see why it changed' }} value={typed?.note} maxlength={500} errorMessage={errors?.note ? { text: errors.note } : undefined} />
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

  const filesPage = async (req: FastifyRequest<{ Params: { identifier: string } }>, reply: FastifyReply, errors?: FieldErrors) => {
    const [{ qualification }, files] = await Promise.all([learning.programmeVersionsOf(req.actor, req.params.identifier), learning.materialsOf(req.actor, req.params.identifier)]);
    const base = `/admin/programmes/${qualification.identifier}`;
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={`Files: ${qualification.shortName}`} errors={errors}>
          <Flash ctx={ctx} />
          <a class="govuk-back-link" href={base}>
            Programme
          </a>
          <span class="govuk-caption-l">{qualification.name}</span>
          <h1 class="govuk-heading-xl">Files for the programme</h1>
          <p class="govuk-body">Upload a file here, then name it at the end of a “File:” line under a module in the programme’s outline, after the title participants see: for example “File: The reading list Autumn-reading-list.pdf”. Participants download it from the module once the module is released to them; only they and their intake’s staff can.</p>
          {files.length ? (
            <Table
              caption="Uploaded files"
              captionClasses="govuk-table__caption--m"
              head={[{ text: 'File' }, { text: 'In the outline' }, { text: 'Uploaded' }, { text: 'Used in' }, { text: 'Action' }]}
              rows={files.map(({ material: m, versions }) => [
                {
                  html: `<span id="file-${m.id}">${errors?.[`file-${m.id}`] ? `<span class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${escapeHtml(errors[`file-${m.id}`]!)}</span>` : ''}${fileLink(`${base}/files/${m.id}`, { fileName: m.name, fileType: m.type, fileSize: m.size })}</span>`,
                },
                { html: `<code>File: Its title ${escapeHtml(m.name)}</code>` },
                { text: formatDateTime(m.uploadedAt) },
                { text: versions.length ? `Version ${versions.join(', ')}` : 'Not used yet' },
                {
                  html: versions.length
                    ? 'Kept: versions use it'
                    : renderToString(
                        <form method="post" action={`${base}/files/${m.id}/remove`} novalidate>
                          <Csrf ctx={ctx} />
                          <Button text="Remove" classes="govuk-button--warning govuk-!-margin-bottom-0" attributes={{ 'aria-label': `Remove ${m.name}` }} preventDoubleClick />
                        </form>,
                      ),
                },
              ])}
            />
          ) : (
            <InsetText text="No files are uploaded for this programme yet." />
          )}
          <form method="post" action={`${base}/files`} enctype="multipart/form-data" novalidate>
            <Csrf ctx={ctx} />
            <FileUpload
              id="file"
              name="file"
              label={{ text: 'Upload a file', classes: 'govuk-label--m' }}
              hint={{ text: `A ${fileTypesText(MATERIAL_FILE_TYPES)} file, up to ${MATERIAL_MAX_BYTES / 1024 / 1024} MB. Its name becomes one word, as the outline uses it: “NPQH handbook.pdf” becomes “NPQH-handbook.pdf”.` }}
              errorMessage={errors?.file ? { text: errors.file } : undefined}
              attributes={{ accept: acceptOf(MATERIAL_FILE_TYPES) }}
            />
            <Button text="Upload the file" preventDoubleClick />
          </form>
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: { identifier: string } }>('/admin/programmes/:identifier/files', guard, async (req, reply) => (IDENTIFIER.test(req.params.identifier) ? filesPage(req, reply) : reply.callNotFound()));

  // A body larger than a form's: whoever sends it is checked before any of it is read.
  app.post<{ Params: { identifier: string } }>('/admin/programmes/:identifier/files', uploadRoute('learning:manage', MATERIAL_MAX_BYTES + 1024 * 1024, 'page'), async (req, reply) => {
    if (!IDENTIFIER.test(req.params.identifier)) return reply.callNotFound();
    const b = (req.body ?? {}) as { file?: unknown };
    try {
      const name = await learning.uploadMaterial(req.actor, req.params.identifier, sentFile(b.file));
      reply.flash(`Uploaded “${name}”. Name it at the end of a “File:” line in the outline, then save the programme.`);
    } catch (err) {
      if (err instanceof ValidationError) return filesPage(req, reply, err.fieldErrors);
      throw err;
    }
    return reply.redirect(`/admin/programmes/${req.params.identifier}/files`, 303);
  });

  app.get<{ Params: { identifier: string; id: string } }>('/admin/programmes/:identifier/files/:id', guard, async (req, reply) => {
    if (!IDENTIFIER.test(req.params.identifier) || !uuid.safeParse(req.params.id).success) return reply.callNotFound();
    return sendDownload(reply, await learning.materialForAdmin(req.actor, req.params.identifier, req.params.id));
  });

  app.post<{ Params: { identifier: string; id: string } }>('/admin/programmes/:identifier/files/:id/remove', guard, async (req, reply) => {
    if (!IDENTIFIER.test(req.params.identifier) || !uuid.safeParse(req.params.id).success) return reply.callNotFound();
    try {
      const name = await learning.removeMaterial(req.actor, req.params.identifier, req.params.id);
      reply.flash(`Removed “${name}”.`);
    } catch (err) {
      // Said beside the file's own row (the summary links there), not on the upload field.
      if (err instanceof AppError && err.code === 'material_in_use') return filesPage(req, reply, { [`file-${req.params.id}`]: err.message });
      throw err;
    }
    return reply.redirect(`/admin/programmes/${req.params.identifier}/files`, 303);
  });

  app.get<{ Params: { identifier: string } }>('/admin/programmes/:identifier', guard, async (req, reply) => (IDENTIFIER.test(req.params.identifier) ? editorPage(req, reply) : reply.callNotFound()));

  app.post<{ Params: { identifier: string } }>('/admin/programmes/:identifier', guard, async (req, reply) => {
    if (!IDENTIFIER.test(req.params.identifier)) return reply.callNotFound();
    const b = (req.body ?? {}) as Body;
    const outline = one(b.outline);
    if (outline.length > 400_000) return editorPage(req, reply, { outline: 'The programme must be 400,000 characters or fewer' }, b);
    const [{ versions }, files] = await Promise.all([learning.programmeVersionsOf(req.actor, req.params.identifier), learning.materialsOf(req.actor, req.params.identifier)]);
    const read = programmeFromOutline(outline, versions[0]?.content, files.map((f) => f.material));
    if (!read.ok) return editorPage(req, reply, { outline: read.message }, b);
    try {
      const version = await learning.saveProgrammeVersion(req.actor, req.params.identifier, { content: read.content, note: one(b.note) });
      reply.flash(`Saved as version ${version}. Intakes keep the version they follow until you move them on from their delivery plan; intakes not yet planned follow it now.`);
    } catch (err) {
      if (err instanceof ValidationError) {
        const { content, note } = err.fieldErrors;
        return editorPage(req, reply, { ...(content || !note ? { outline: content ?? 'Check the programme' } : {}), ...(note ? { note } : {}) }, b);
      }
      if (err instanceof AppError && err.code === 'version_taken') return editorPage(req, reply, { outline: err.message }, b);
      throw err;
    }
    return reply.redirect(`/admin/programmes/${req.params.identifier}`, 303);
  });
}
