import multipart from '@fastify/multipart';
import { checkRequestInput } from '../../platform/boundary';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requirePermission, uploadRoute } from '../../platform/admin';
import { formatDateTime } from '../../platform/clock';
import { ConflictError, type FieldErrors, ValidationError } from '../../platform/errors';
import { Layout } from '../../platform/layout';
import type { PageContext } from '../../platform/page-context';
import { Csrf } from '../../platform/csrf';
import { Button, Checkboxes, FileUpload, Input, NotificationBanner, Select, SummaryList, Table, WarningText } from '../../ui/govuk';
import { isReferenceList, REFERENCE_LISTS, type ReferenceList } from '../domain/reference-data';
import type { ImportRow, ReferenceService } from '../reference.service';
import { Flash } from '../../platform/flash';

const UPLOAD_LIMIT = 150 * 1024 * 1024;
type Upload = { _csrf?: string; list?: string; file?: Buffer | string };

const kindLabel = (kind: string) => (kind === 'schools' ? 'GIAS schools' : isReferenceList(kind) ? REFERENCE_LISTS[kind].label : kind);

export async function referenceRoutes(app: FastifyInstance, opts: { reference: ReferenceService; log: (msg: string, err: unknown) => void }) {
  const { reference } = opts;
  // Files arrive as fields of the body, so the CSRF check reads _csrf as it does for any form.
  await app.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: UPLOAD_LIMIT, files: 1, fields: 5 } });
  // A multipart body is read after the platform's check of every form's text: checked again once it is (as file-forms.ts does).
  app.addHook('preHandler', async (req) => checkRequestInput(req));
  const guard = { preHandler: requirePermission('reference:manage') };
  const upload = uploadRoute('reference:manage', UPLOAD_LIMIT, 'page');

  const indexPage = async (req: FastifyRequest, reply: FastifyReply, errors?: FieldErrors) => {
    const [sizes, imports] = await Promise.all([reference.listSizes(req.actor), reference.recentImports(req.actor)]);
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title="Reference data" errors={errors} errorTargets={{ schoolsFile: 'schoolsFile', listFile: 'listFile', list: 'list' }}>
          <Flash ctx={ctx} />
          <h1 class="govuk-heading-xl">Reference data</h1>
          <SummaryList
            rows={[
              { key: { text: 'Schools (GIAS)' }, value: { text: (sizes.schools ?? 0).toLocaleString('en-GB') } },
              ...Object.entries(REFERENCE_LISTS).map(([key, l]) => ({ key: { text: l.label }, value: { text: `${(sizes[key] ?? 0).toLocaleString('en-GB')} ${sizes[key] === 1 ? 'entry' : 'entries'}` } })),
            ]}
          />
          <form method="get" action="/admin/reference/schools" class="app-filter">
            <Input id="q" name="q" type="search" label={{ text: 'Find a school by name, town, postcode or URN', classes: 'govuk-label--s' }} />
            <Button text="Search schools" classes="govuk-button--secondary" />
          </form>
          <h2 class="govuk-heading-m">Import a GIAS extract</h2>
          <form method="post" action="/admin/reference/schools" enctype="multipart/form-data" novalidate>
            <Csrf ctx={ctx} />
            <FileUpload id="schoolsFile" name="file" label={{ text: 'GIAS CSV file' }} hint={{ text: 'From Get Information about Schools. You will see what it adds and updates before anything changes; schools not in the file are kept.' }} errorMessage={errors?.schoolsFile ? { text: errors.schoolsFile } : undefined} />
            <Button text="Check the file" preventDoubleClick />
          </form>
          <h2 class="govuk-heading-m">Replace a yearly eligibility list</h2>
          <form method="post" action="/admin/reference/lists" enctype="multipart/form-data" novalidate>
            <Csrf ctx={ctx} />
            <Select id="list" name="list" label={{ text: 'List' }} errorMessage={errors?.list ? { text: errors.list } : undefined} items={[{ value: '', text: 'Choose a list' }, ...Object.entries(REFERENCE_LISTS).map(([key, l]) => ({ value: key, text: `${l.label} (by ${l.column})` }))]} />
            <FileUpload id="listFile" name="file" label={{ text: 'CSV file' }} hint={{ text: 'One value a row, with or without a header naming the column. You will see what it adds, removes and refuses before the list is replaced.' }} errorMessage={errors?.listFile ? { text: errors.listFile } : undefined} />
            <Button text="Check the file" preventDoubleClick />
          </form>
          <h2 class="govuk-heading-m">Recent imports</h2>
          <ImportsTable imports={imports} />
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get('/admin/reference', guard, async (req, reply) => indexPage(req, reply));

  const fileOf = (body: Upload): Buffer | undefined => (Buffer.isBuffer(body.file) && body.file.length > 0 ? body.file : undefined);

  app.post('/admin/reference/schools', upload, async (req, reply) => {
    const file = fileOf((req.body ?? {}) as Upload);
    if (!file) return indexPage(req, reply, { schoolsFile: 'Choose a GIAS CSV file to import' });
    try {
      // Nothing changes yet: the file is checked and shown as a preview for the admin to confirm.
      const preview = await reference.previewSchools(req.actor, 'upload', file);
      return reply.redirect(`/admin/reference/imports/${preview.id}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return indexPage(req, reply, { schoolsFile: err.fieldErrors.file ?? 'The file could not be read' });
      throw err;
    }
  });

  app.post('/admin/reference/lists', upload, async (req, reply) => {
    const body = (req.body ?? {}) as Upload;
    const list = String(body.list ?? '');
    const errors: FieldErrors = {};
    if (!isReferenceList(list)) errors.list = 'Choose which list the file replaces';
    const file = fileOf(body);
    if (!file) errors.listFile = 'Choose a CSV file';
    if (Object.keys(errors).length || !isReferenceList(list) || !file) return indexPage(req, reply, errors);
    try {
      const preview = await reference.previewList(req.actor, list, 'upload', file);
      return reply.redirect(`/admin/reference/imports/${preview.id}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return indexPage(req, reply, { listFile: err.fieldErrors.file ?? 'The file could not be read' });
      throw err;
    }
  });

  const importPage = async (req: FastifyRequest, reply: FastifyReply, id: string, errors?: FieldErrors) => {
    const i = await reference.importStatus(req.actor, id);
    if (i.status === 'preview') return previewPage(reply, i, errors);
    const running = i.status === 'running';
    const percent = i.totalRows ? Math.min(100, Math.round((i.processedRows / i.totalRows) * 100)) : 0;
    return reply.page((ctx) => (
      <Layout ctx={ctx} title={`${kindLabel(i.kind)} import`} scripts={running ? ['/assets/import-progress.js'] : []}>
        <Flash ctx={ctx} />
        <h1 class="govuk-heading-xl">{kindLabel(i.kind)} import</h1>
        {running ? (
          <div data-import-running>
            <p class="govuk-body-l" role="status">
              Importing: {i.processedRows.toLocaleString('en-GB')} of about {i.totalRows.toLocaleString('en-GB')} rows ({percent}%).
            </p>
            <progress max={100} value={percent} aria-label="Import progress" />
            <p class="govuk-body">
              <a class="govuk-link" href={`/admin/reference/imports/${i.id}`}>
                Check progress
              </a>
            </p>
          </div>
        ) : i.status === 'cancelled' ? (
          <NotificationBanner titleText="Cancelled" text="This upload was cancelled: nothing in it was applied." />
        ) : (
          <NotificationBanner type={i.status === 'finished' ? 'success' : undefined} titleText={i.status === 'finished' ? 'Import finished' : 'Import failed'} text={i.status === 'finished' ? summaryText(i) : `The import stopped: ${i.error}. Rows before the problem were saved; fix the file and import it again.`} />
        )}
        <SummaryList
          rows={[
            { key: { text: 'Started' }, value: { text: `${formatDateTime(i.startedAt)} by ${i.actorLabel}` } },
            { key: { text: 'Rows read' }, value: { text: i.processedRows.toLocaleString('en-GB') } },
            { key: { text: 'Added' }, value: { text: i.added.toLocaleString('en-GB') } },
            { key: { text: i.kind === 'schools' ? 'Updated' : 'Changed' }, value: { text: i.updated.toLocaleString('en-GB') } },
            ...(i.kind === 'schools' ? [] : [{ key: { text: 'Removed' }, value: { text: i.removed.toLocaleString('en-GB') } }]),
            { key: { text: 'Rejected' }, value: { text: i.rejected.toLocaleString('en-GB') } },
            ...(i.finishedAt && i.status !== 'cancelled' ? [{ key: { text: 'Took' }, value: { text: `${((i.finishedAt.getTime() - i.startedAt.getTime()) / 1000).toFixed(1)} seconds` } }] : []),
          ]}
        />
        <RejectionsTable i={i} caption="Rejected rows" />
        <p class="govuk-body">
          <a class="govuk-link" href="/admin/reference">
            Back to reference data
          </a>
        </p>
      </Layout>
    ));
  };

  /** What an upload would do, before anything changes: the admin confirms, skipping refused rows only by choice, or cancels. */
  const previewPage = (reply: FastifyReply, i: ImportRow, errors?: FieldErrors) => {
    const n = (v: number) => v.toLocaleString('en-GB');
    const schoolsKind = i.kind === 'schools';
    const preview = i.preview ?? { added: [], removed: [], changed: [] };
    const rows = (title: string, total: number, sample: string[]) =>
      total ? <Table caption={`${title} (${n(total)}${total > sample.length ? `, the first ${n(sample.length)} shown` : ''})`} captionClasses="govuk-table__caption--s" head={[{ text: schoolsKind ? 'School' : REFERENCE_LISTS[i.kind as ReferenceList]?.column ?? 'Entry' }]} rows={sample.map((r) => [{ text: r }])} /> : null;
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={`Check the ${kindLabel(i.kind)} upload`} errors={errors} errorTargets={{ skipInvalid: 'skipInvalid' }}>
          <h1 class="govuk-heading-xl">Check the {kindLabel(i.kind)} upload</h1>
          <p class="govuk-body">Nothing has changed yet. {schoolsKind ? 'Confirm to add and update these schools; schools not in the file are kept.' : 'Confirm to replace the whole list with this file.'}</p>
          <SummaryList
            rows={[
              { key: { text: 'Rows read' }, value: { text: n(i.processedRows) } },
              { key: { text: 'To add' }, value: { text: n(i.added) } },
              { key: { text: schoolsKind ? 'To update' : 'To change' }, value: { text: n(i.updated) } },
              ...(schoolsKind ? [] : [{ key: { text: 'To remove' }, value: { text: n(i.removed) } }]),
              { key: { text: 'Refused' }, value: { text: n(i.rejected) } },
            ]}
          />
          {i.rejected ? <WarningText text={`${n(i.rejected)} ${i.rejected === 1 ? 'row is' : 'rows are'} refused. Fix the file and upload it again, or leave ${i.rejected === 1 ? 'it' : 'them'} out.`} /> : null}
          <RejectionsTable i={i} caption="Refused rows" />
          {rows('To add', i.added, preview.added)}
          {rows('To remove', i.removed, preview.removed)}
          {rows(schoolsKind ? 'To update' : 'To change', i.updated, preview.changed)}
          <form method="post" action={`/admin/reference/imports/${i.id}/confirm`} novalidate>
            <Csrf ctx={ctx} />
            {i.rejected ? (
              <Checkboxes
                idPrefix="skipInvalid"
                name="skipInvalid"
                fieldset={{ legend: { text: 'Refused rows', classes: 'govuk-fieldset__legend--s' } }}
                errorMessage={errors?.skipInvalid ? { text: errors.skipInvalid } : undefined}
                items={[{ value: 'yes', text: `Leave out the ${n(i.rejected)} refused ${i.rejected === 1 ? 'row' : 'rows'} and use the rest` }]}
              />
            ) : null}
            <Button text={schoolsKind ? 'Import schools' : 'Replace the list'} preventDoubleClick />
          </form>
          <form method="post" action={`/admin/reference/imports/${i.id}/cancel`}>
            <Csrf ctx={ctx} />
            <Button text="Cancel this upload" classes="govuk-button--secondary" />
          </form>
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: { id: string } }>('/admin/reference/imports/:id', guard, async (req, reply) => {
    if (!z.uuid().safeParse(req.params.id).success) return reply.callNotFound();
    return importPage(req, reply, req.params.id);
  });

  app.post<{ Params: { id: string } }>('/admin/reference/imports/:id/confirm', guard, async (req, reply) => {
    if (!z.uuid().safeParse(req.params.id).success) return reply.callNotFound();
    const skipInvalid = [(req.body as { skipInvalid?: string | string[] } | undefined)?.skipInvalid ?? []].flat().includes('yes');
    try {
      const { row, run } = await reference.confirmImport(req.actor, req.params.id, { skipInvalid });
      // A GIAS import carries on after this request; its page shows how far it has got.
      if (run) run().catch((err) => opts.log('school import failed', err));
      else reply.flash(summaryText(row));
      return reply.redirect(`/admin/reference/imports/${row.id}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return importPage(req, reply, req.params.id, err.fieldErrors);
      if (err instanceof ConflictError) return reply.redirect(`/admin/reference/imports/${req.params.id}`, 303);
      throw err;
    }
  });

  app.post<{ Params: { id: string } }>('/admin/reference/imports/:id/cancel', guard, async (req, reply) => {
    if (!z.uuid().safeParse(req.params.id).success) return reply.callNotFound();
    await reference.cancelImport(req.actor, req.params.id);
    reply.flash('Upload cancelled: nothing was changed.');
    return reply.redirect('/admin/reference', 303);
  });

  app.get('/admin/reference/schools', guard, async (req, reply) => {
    const q = String((req.query as { q?: string }).q ?? '').slice(0, 100);
    const results = await reference.searchSchools(q, { includeClosed: true, limit: 50 });
    return reply.page((ctx) => (
      <Layout ctx={ctx} title="Schools">
        <h1 class="govuk-heading-xl">Schools</h1>
        <form method="get" action="/admin/reference/schools" class="app-filter">
          <Input id="q" name="q" type="search" label={{ text: 'Name, town, postcode or URN', classes: 'govuk-label--s' }} value={q} />
          <Button text="Search" classes="govuk-button--secondary" />
        </form>
        {q ? <p class="govuk-body">{results.length === 50 ? 'The first 50 matches' : `${results.length} ${results.length === 1 ? 'match' : 'matches'}`}</p> : null}
        <Table
          head={[{ text: 'URN' }, { text: 'Name' }, { text: 'Type' }, { text: 'Town' }, { text: 'Postcode' }, { text: 'Status' }]}
          rows={results.map((s) => [{ text: String(s.urn) }, { text: s.name }, { text: s.typeName ?? '' }, { text: s.town ?? '' }, { text: s.postcode ?? '' }, { html: s.closed ? '<strong class="govuk-tag govuk-tag--grey">Closed</strong>' : '<strong class="govuk-tag govuk-tag--green">Open</strong>' }])}
        />
        <p class="govuk-body">
          <a class="govuk-link" href="/admin/reference">
            Back to reference data
          </a>
        </p>
      </Layout>
    ));
  });
}

function summaryText(i: ImportRow): string {
  const n = (v: number) => v.toLocaleString('en-GB');
  return i.kind === 'schools'
    ? `${n(i.added)} schools added, ${n(i.updated)} updated, ${n(i.rejected)} rows rejected.`
    : `${n(i.added)} added, ${n(i.removed)} removed, ${n(i.updated)} changed, ${n(i.rejected)} rows left out.`;
}

function RejectionsTable({ i, caption }: { i: ImportRow; caption: string }) {
  if (!i.rejections.length) return null;
  return (
    <Table
      caption={`${caption}${i.rejected > i.rejections.length ? ` (the first ${i.rejections.length} of ${i.rejected})` : ''}`}
      captionClasses="govuk-table__caption--m"
      head={[{ text: 'Line', format: 'numeric' }, { text: 'Why' }]}
      rows={i.rejections.map((r) => [{ text: String(r.row), format: 'numeric' }, { text: r.reason }])}
    />
  );
}

const STATUS_TEXT: Record<string, string> = { running: 'Running', preview: 'Waiting to be confirmed', cancelled: 'Cancelled: nothing changed' };

function ImportsTable({ imports }: { imports: ImportRow[] }) {
  if (!imports.length) return <p class="govuk-body">Nothing imported yet.</p>;
  return (
    <Table
      head={[{ text: 'When' }, { text: 'What' }, { text: 'Result' }, { text: 'By' }]}
      rows={imports.map((i) => [
        { html: `<a class="govuk-link" href="/admin/reference/imports/${i.id}">${formatDateTime(i.startedAt)}</a>` },
        { text: kindLabel(i.kind) },
        { text: i.status === 'finished' ? summaryText(i) : (STATUS_TEXT[i.status] ?? `Failed: ${i.error ?? ''}`) },
        { text: i.actorLabel },
      ])}
    />
  );
}

