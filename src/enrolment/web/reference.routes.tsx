import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requirePermission, uploadRoute } from '../../platform/admin';
import { formatDateTime } from '../../platform/clock';
import { type FieldErrors, ValidationError } from '../../platform/errors';
import { Layout } from '../../platform/layout';
import type { PageContext } from '../../platform/page-context';
import { Csrf } from '../../platform/csrf';
import { Button, FileUpload, Input, NotificationBanner, Select, SummaryList, Table } from '../../ui/govuk';
import { isReferenceList, REFERENCE_LISTS } from '../domain/reference-data';
import type { ImportRow, ReferenceService } from '../reference.service';

const UPLOAD_LIMIT = 150 * 1024 * 1024;
type Upload = { _csrf?: string; list?: string; file?: Buffer | string };

const kindLabel = (kind: string) => (kind === 'schools' ? 'GIAS schools' : isReferenceList(kind) ? REFERENCE_LISTS[kind].label : kind);

export async function referenceRoutes(app: FastifyInstance, opts: { reference: ReferenceService; log: (msg: string, err: unknown) => void }) {
  const { reference } = opts;
  // Files arrive as fields of the body, so the CSRF check reads _csrf as it does for any form.
  await app.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: UPLOAD_LIMIT, files: 1, fields: 5 } });
  const guard = { preHandler: requirePermission('reference:manage') };
  const upload = uploadRoute('reference:manage', UPLOAD_LIMIT, 'page');

  const indexPage = async (req: FastifyRequest, reply: FastifyReply, errors?: FieldErrors) => {
    const [sizes, imports] = await Promise.all([reference.listSizes(req.actor), reference.recentImports(req.actor)]);
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title="Reference data" errors={errors} errorTargets={{ schoolsFile: 'schoolsFile', listFile: 'listFile', list: 'list' }}>
          {ctx.flash ? <NotificationBanner type="success" text={ctx.flash} /> : null}
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
            <FileUpload id="schoolsFile" name="file" label={{ text: 'GIAS CSV file' }} hint={{ text: 'From Get Information about Schools. Schools are added or updated by URN; schools not in the file are kept.' }} errorMessage={errors?.schoolsFile ? { text: errors.schoolsFile } : undefined} />
            <Button text="Import schools" preventDoubleClick />
          </form>
          <h2 class="govuk-heading-m">Replace a yearly eligibility list</h2>
          <form method="post" action="/admin/reference/lists" enctype="multipart/form-data" novalidate>
            <Csrf ctx={ctx} />
            <Select id="list" name="list" label={{ text: 'List' }} errorMessage={errors?.list ? { text: errors.list } : undefined} items={[{ value: '', text: 'Choose a list' }, ...Object.entries(REFERENCE_LISTS).map(([key, l]) => ({ value: key, text: `${l.label} (by ${l.column})` }))]} />
            <FileUpload id="listFile" name="file" label={{ text: 'CSV file' }} hint={{ text: 'One value a row, with or without a header naming the column. The upload replaces the whole list.' }} errorMessage={errors?.listFile ? { text: errors.listFile } : undefined} />
            <Button text="Replace list" preventDoubleClick />
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
      const { importId, run } = await reference.beginSchoolImport(req.actor, 'upload', file);
      // The import carries on after this request; its page shows how far it has got.
      run().catch((err) => opts.log('school import failed', err));
      return reply.redirect(`/admin/reference/imports/${importId}`, 303);
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
      const done = await reference.replaceList(req.actor, list, 'upload', file);
      return reply.redirect(`/admin/reference/imports/${done.id}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return indexPage(req, reply, { listFile: err.fieldErrors.file ?? 'The file could not be read' });
      throw err;
    }
  });

  app.get<{ Params: { id: string } }>('/admin/reference/imports/:id', guard, async (req, reply) => {
    if (!z.uuid().safeParse(req.params.id).success) return reply.callNotFound();
    const i = await reference.importStatus(req.actor, req.params.id);
    const running = i.status === 'running';
    const percent = i.totalRows ? Math.min(100, Math.round((i.processedRows / i.totalRows) * 100)) : 0;
    return reply.page((ctx) => (
      <Layout ctx={ctx} title={`${kindLabel(i.kind)} import`} scripts={running ? ['/assets/import-progress.js'] : []}>
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
        ) : (
          <NotificationBanner type={i.status === 'finished' ? 'success' : undefined} titleText={i.status === 'finished' ? 'Import finished' : 'Import failed'} text={i.status === 'finished' ? summaryText(i) : `The import stopped: ${i.error}. Rows before the problem were saved; fix the file and import it again.`} />
        )}
        <SummaryList
          rows={[
            { key: { text: 'Started' }, value: { text: `${formatDateTime(i.startedAt)} by ${i.actorLabel}` } },
            { key: { text: 'Rows read' }, value: { text: i.processedRows.toLocaleString('en-GB') } },
            { key: { text: 'Added' }, value: { text: i.added.toLocaleString('en-GB') } },
            ...(i.kind === 'schools' ? [{ key: { text: 'Updated' }, value: { text: i.updated.toLocaleString('en-GB') } }] : [{ key: { text: 'Removed' }, value: { text: i.removed.toLocaleString('en-GB') } }]),
            { key: { text: 'Rejected' }, value: { text: i.rejected.toLocaleString('en-GB') } },
            ...(i.finishedAt ? [{ key: { text: 'Took' }, value: { text: `${((i.finishedAt.getTime() - i.startedAt.getTime()) / 1000).toFixed(1)} seconds` } }] : []),
          ]}
        />
        {i.rejections.length ? (
          <Table
            caption={`Rejected rows${i.rejected > i.rejections.length ? ` (the first ${i.rejections.length} of ${i.rejected})` : ''}`}
            captionClasses="govuk-table__caption--m"
            head={[{ text: 'Row', format: 'numeric' }, { text: 'Why' }]}
            rows={i.rejections.map((r) => [{ text: String(r.row), format: 'numeric' }, { text: r.reason }])}
          />
        ) : null}
        <p class="govuk-body">
          <a class="govuk-link" href="/admin/reference">
            Back to reference data
          </a>
        </p>
      </Layout>
    ));
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
    : `${n(i.added)} added, ${n(i.removed)} removed, ${n(i.rejected)} rows rejected.`;
}

function ImportsTable({ imports }: { imports: ImportRow[] }) {
  if (!imports.length) return <p class="govuk-body">Nothing imported yet.</p>;
  return (
    <Table
      head={[{ text: 'When' }, { text: 'What' }, { text: 'Result' }, { text: 'By' }]}
      rows={imports.map((i) => [
        { html: `<a class="govuk-link" href="/admin/reference/imports/${i.id}">${formatDateTime(i.startedAt)}</a>` },
        { text: kindLabel(i.kind) },
        { text: i.status === 'finished' ? summaryText(i) : i.status === 'running' ? 'Running' : `Failed: ${i.error ?? ''}` },
        { text: i.actorLabel },
      ])}
    />
  );
}

