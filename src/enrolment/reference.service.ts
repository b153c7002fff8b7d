import './domain/enrolment.permissions';
import { and, count, desc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import { audit } from '../audit/audit';
import type { Db, Executor } from '../db/client';
import { referenceImports, referenceListEntries, schools } from './enrolment.schema';
import type { Actor } from '../platform/auth/actor';
import { actorLabel } from '../platform/auth/actor';
import { can } from '../platform/auth/permissions';
import type { Clock } from '../platform/clock';
import { csvRows, decodeCsvFile } from '../platform/csv-input';
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../platform/errors';
import { isReferenceList, missingGiasColumns, parseGiasRow, isListHeader, parseListEntry, planListReplacement, REFERENCE_LISTS, type ReferenceList, type SchoolRecord, schoolSearchQuery } from './domain/reference-data';

const BATCH = 1000;
const schoolColumns = getTableColumns(schools);
const KEPT_REJECTIONS = 100;

/** The largest URN the schools table's integer column holds. */
const MAX_URN = 2_147_483_647;
/** How many rows of each kind (to add, remove, change) a preview shows. */
const PREVIEW_ROWS = 50;
type Rejection = { row: number; reason: string };

/** GIAS publishes its extracts in Windows-1252; lists arrive as UTF-8. Either is read; a NUL is refused. */
export const decodeCsv = decodeCsvFile;

function csvRecords(text: string) {
  return csvRows<Record<string, string>>(text, { columns: (h: string[]) => h.map((c) => c.trim()), bom: true, skip_empty_lines: true, relax_column_count: true, trim: false });
}

async function headerOf(text: string): Promise<string[]> {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  for await (const row of csvRows<string[]>(firstLine, { relax_column_count: true })) return row.map((c) => c.trim());
  return [];
}

export type ImportRow = typeof referenceImports.$inferSelect;

export function createReferenceService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const authorise = (actor: Actor) => {
    if (!can(actor, 'reference:manage')) throw new ForbiddenError();
  };

  /**
   * Adds or updates a batch of schools by URN in one statement; returns how many were added and
   * updated. The batch goes to PostgreSQL as one JSON document (json_populate_recordset), not as a
   * parameter per value: 1,000 schools of 27 columns were 27,000 parameters to build and send, which
   * cost most of an import's time and memory (docs/adr/0034).
   */
  async function upsertSchools(batch: SchoolRecord[]) {
    const importedAt = clock.now();
    const names = Object.keys(batch[0]!)
      .concat('importedAt')
      .map((key) => schoolColumns[key as keyof typeof schoolColumns].name);
    const list = sql.join(
      names.map((n) => sql.identifier(n)),
      sql`, `,
    );
    const updates = sql.join(
      names.filter((n) => n !== 'urn').map((n) => sql`${sql.identifier(n)} = excluded.${sql.identifier(n)}`),
      sql`, `,
    );
    const records = JSON.stringify(batch.map((school) => Object.fromEntries(Object.entries({ ...school, importedAt }).map(([key, value]) => [schoolColumns[key as keyof typeof schoolColumns].name, value]))));
    const { rows } = (await db.execute(
      sql`insert into ${schools} (${list}) select ${list} from json_populate_recordset(null::schools, ${records}::json) on conflict (urn) do update set ${updates} returning (xmax = 0) as inserted`,
    )) as unknown as { rows: { inserted: boolean }[] };
    const added = rows.filter((r) => r.inserted).length;
    return { added, updated: rows.length - added };
  }

  /** A GIAS extract's rows: the schools it holds (a URN repeated keeps its last row) and the rows refused, with line and reason. */
  async function* giasRows(text: string): AsyncGenerator<{ line: number; parsed: ReturnType<typeof parseGiasRow> }> {
    let line = 1;
    for await (const record of csvRecords(text)) {
      line++;
      yield { line, parsed: parseGiasRow(record as Record<string, string>) };
    }
  }

  async function checkGiasHeader(text: string) {
    const missing = missingGiasColumns(await headerOf(text));
    if (missing.length) throw new ValidationError({ file: `The file is not a GIAS extract: it has no ${missing.join(' or ')} column` });
  }

  /** Imports a GIAS extract into the import row `importId`, reporting progress as it goes. */
  function schoolImport(actor: Actor, importId: string, fileName: string, text: string) {
    return async (): Promise<ImportRow> => {
      const rejections: Rejection[] = [];
      let processed = 0;
      let added = 0;
      let updated = 0;
      let rejected = 0;
      let batch: SchoolRecord[] = [];
      const seen = new Set<number>();
      const flush = async () => {
        if (!batch.length) return;
        const r = await upsertSchools(batch);
        added += r.added;
        updated += r.updated;
        batch = [];
        await db.update(referenceImports).set({ processedRows: processed, added, updated, rejected }).where(eq(referenceImports.id, importId));
      };
      try {
        for await (const { line, parsed } of giasRows(text)) {
          processed++;
          if (!parsed.ok) {
            rejected++;
            if (rejections.length < KEPT_REJECTIONS) rejections.push({ row: line, reason: parsed.reason });
            continue;
          }
          // One upsert cannot touch a row twice: a URN repeated in the file keeps its last row.
          if (seen.has(parsed.value.urn)) {
            const i = batch.findIndex((b) => b.urn === parsed.value.urn);
            if (i >= 0) batch[i] = parsed.value;
            else batch.push(parsed.value);
          } else {
            seen.add(parsed.value.urn);
            batch.push(parsed.value);
          }
          if (batch.length >= BATCH) await flush();
        }
        await flush();
        const [done] = await db.transaction(async (tx) => {
          const result = await tx
            .update(referenceImports)
            .set({ status: 'finished', processedRows: processed, totalRows: processed, added, updated, rejected, rejections, finishedAt: clock.now() })
            .where(eq(referenceImports.id, importId))
            .returning();
          await audit(tx, clock, actor, { action: 'reference.schools_imported', entityType: 'reference_import', entityId: importId, after: { fileName, added, updated, rejected } });
          return result;
        });
        return done!;
      } catch (err) {
        const [failed] = await db
          .update(referenceImports)
          // A file's fault is told as it is; anything else is ours, and its words (SQL) are not shown.
          .set({ status: 'failed', error: err instanceof AppError ? err.message : 'the import could not be saved', processedRows: processed, added, updated, rejected, rejections, finishedAt: clock.now() })
          .where(eq(referenceImports.id, importId))
          .returning();
        return failed!;
      }
    };
  }

  /** Reads a yearly list's upload: its entries by key (with labels), the rows refused with line and reason, and how many rows it had. */
  async function readList(list: ReferenceList, text: string) {
    const { column } = REFERENCE_LISTS[list];
    const header = await headerOf(text);
    // A file may have a header naming the column, or be a bare list of values.
    const headed = header.some((h) => isListHeader(list, h));
    const entries = new Map<string, string>();
    const rejections: Rejection[] = [];
    let rejected = 0;
    let line = headed ? 1 : 0;
    const parser = csvRows<string[]>(text, { bom: true, skip_empty_lines: true, relax_column_count: true, from_line: headed ? 2 : 1 });
    const columnIndex = headed ? header.findIndex((h) => isListHeader(list, h)) : 0;
    for await (const record of parser) {
      line++;
      const parsed = parseListEntry(list, record[columnIndex]);
      if (!parsed.ok) {
        rejected++;
        if (rejections.length < KEPT_REJECTIONS) rejections.push({ row: line, reason: parsed.reason });
        continue;
      }
      entries.set(parsed.value.key, parsed.value.label);
    }
    if (entries.size === 0) throw new ValidationError({ file: `The file has no valid ${column}s: ${rejections[0]?.reason ?? 'it is empty'}` });
    return { entries, rejections, rejected, rows: line - (headed ? 1 : 0) };
  }

  async function listPlan(tx: Executor, list: ReferenceList, entries: Map<string, string>) {
    const before = await tx.select({ key: referenceListEntries.key, label: referenceListEntries.label }).from(referenceListEntries).where(eq(referenceListEntries.list, list));
    return planListReplacement(before, entries);
  }

  /** Replaces a list's entries with `entries` inside `tx`, and says what changed. */
  async function applyList(tx: Executor, list: ReferenceList, entries: Map<string, string>) {
    const plan = await listPlan(tx, list, entries);
    if (plan.removed.length) await tx.delete(referenceListEntries).where(and(eq(referenceListEntries.list, list), inArray(referenceListEntries.key, plan.removed)));
    for (const key of plan.changed) await tx.update(referenceListEntries).set({ label: entries.get(key)! }).where(and(eq(referenceListEntries.list, list), eq(referenceListEntries.key, key)));
    const toAdd = plan.added.map((key) => ({ list, key, label: entries.get(key)! }));
    for (let i = 0; i < toAdd.length; i += BATCH) await tx.insert(referenceListEntries).values(toAdd.slice(i, i + BATCH));
    return plan;
  }

  const refuseInvalidRows = (rejected: number, rejections: Rejection[]) =>
    new AppError(
      'invalid_rows',
      `${rejected} ${rejected === 1 ? 'row is' : 'rows are'} not valid, so nothing was changed: fix the file, or send it again with skip_invalid=true to leave those rows out`,
      422,
      { rejected, rejections },
    );

  /** The import row recording a list upload: what it held and what it does. */
  const listImportRow = (actor: Actor, list: ReferenceList, fileName: string, read: Awaited<ReturnType<typeof readList>>, plan: ReturnType<typeof planListReplacement>) => ({
    kind: list,
    fileName,
    totalRows: read.rows,
    processedRows: read.rows,
    added: plan.added.length,
    removed: plan.removed.length,
    updated: plan.changed.length,
    rejected: read.rejected,
    rejections: read.rejections,
    startedAt: clock.now(),
    actorLabel: actorLabel(actor),
  });

  const sample = (keys: string[], entries: Map<string, string | null>) => keys.slice(0, PREVIEW_ROWS).map((k) => entries.get(k) ?? k);

  return {
    /** Starts a GIAS import at once (the API); `run` does the work. The web checks a file first with `previewSchools`. */
    async beginSchoolImport(actor: Actor, fileName: string, bytes: Buffer): Promise<{ importId: string; run: () => Promise<ImportRow> }> {
      authorise(actor);
      const text = decodeCsv(bytes);
      await checkGiasHeader(text);
      const totalRows = Math.max(0, text.split(/\r?\n/).filter((l) => l.trim()).length - 1);
      const [row] = await db
        .insert(referenceImports)
        .values({ kind: 'schools', status: 'running', fileName, totalRows, startedAt: clock.now(), actorLabel: actorLabel(actor) })
        .returning();
      return { importId: row!.id, run: schoolImport(actor, row!.id, fileName, text) };
    },

    /**
     * Checks a GIAS extract without changing anything: how many schools it would add and update, and
     * the rows it refuses (line and reason). The upload waits, as an import in status `preview`, for
     * `confirmImport`.
     */
    async previewSchools(actor: Actor, fileName: string, bytes: Buffer): Promise<ImportRow> {
      authorise(actor);
      const text = decodeCsv(bytes);
      await checkGiasHeader(text);
      const names = new Map<number, string>();
      const rejections: Rejection[] = [];
      let rejected = 0;
      let rows = 0;
      for await (const { line, parsed } of giasRows(text)) {
        rows++;
        if (parsed.ok) names.set(parsed.value.urn, parsed.value.name);
        else {
          rejected++;
          if (rejections.length < KEPT_REJECTIONS) rejections.push({ row: line, reason: parsed.reason });
        }
      }
      if (!names.size) throw new ValidationError({ file: `The file has no schools that can be imported: ${rejections[0]?.reason ?? 'it is empty'}` });
      const urns = [...names.keys()];
      const existing = new Set<number>();
      for (let i = 0; i < urns.length; i += 10 * BATCH) {
        const found = await db.select({ urn: schools.urn }).from(schools).where(inArray(schools.urn, urns.slice(i, i + 10 * BATCH)));
        for (const f of found) existing.add(f.urn);
      }
      const added = urns.filter((u) => !existing.has(u));
      const label = (u: number) => `${u} ${names.get(u)}`;
      const [row] = await db
        .insert(referenceImports)
        .values({
          kind: 'schools',
          status: 'preview',
          fileName,
          totalRows: rows,
          processedRows: rows,
          added: added.length,
          updated: existing.size,
          rejected,
          rejections,
          pendingFile: text,
          preview: { added: added.slice(0, PREVIEW_ROWS).map(label), removed: [], changed: [...existing].slice(0, PREVIEW_ROWS).map(label) },
          startedAt: clock.now(),
          actorLabel: actorLabel(actor),
        })
        .returning();
      return row!;
    },

    /**
     * Checks an upload of a yearly list without changing anything: the entries it would add, remove and
     * relabel, and the rows it refuses (line and reason). It waits, in status `preview`, for `confirmImport`.
     */
    async previewList(actor: Actor, list: ReferenceList, fileName: string, bytes: Buffer): Promise<ImportRow> {
      authorise(actor);
      const text = decodeCsv(bytes);
      const read = await readList(list, text);
      const before = new Map((await db.select({ key: referenceListEntries.key, label: referenceListEntries.label }).from(referenceListEntries).where(eq(referenceListEntries.list, list))).map((b) => [b.key, b.label]));
      const plan = await listPlan(db, list, read.entries);
      const [row] = await db
        .insert(referenceImports)
        .values({
          ...listImportRow(actor, list, fileName, read, plan),
          status: 'preview',
          pendingFile: text,
          preview: { added: sample(plan.added, read.entries), removed: sample(plan.removed, before), changed: sample(plan.changed, read.entries) },
        })
        .returning();
      return row!;
    },

    /**
     * Applies an upload the admin has checked. An upload with refused rows is applied only when the admin
     * chose to skip them (`skipInvalid`); otherwise nothing changes and a validation error says so. A
     * list is replaced at once, against the list as it is now; a GIAS import returns `run` to do the work.
     * Confirming twice (or after cancelling) is refused with `import_not_pending`.
     */
    async confirmImport(actor: Actor, id: string, opts: { skipInvalid: boolean }): Promise<{ row: ImportRow; run?: () => Promise<ImportRow> }> {
      authorise(actor);
      const [pending] = await db.select().from(referenceImports).where(eq(referenceImports.id, id));
      if (!pending) throw new NotFoundError('import');
      if (pending.status !== 'preview' || pending.pendingFile === null) throw new ConflictError('import_not_pending', 'This upload has already been confirmed or cancelled');
      if (pending.rejected > 0 && !opts.skipInvalid) {
        throw new ValidationError({ skipInvalid: `Select that the ${pending.rejected} refused ${pending.rejected === 1 ? 'row is' : 'rows are'} left out, or fix the file and upload it again` });
      }
      const text = pending.pendingFile;
      const claim = (tx: Executor, status: string) =>
        tx
          .update(referenceImports)
          .set({ status, pendingFile: null, startedAt: clock.now() })
          .where(and(eq(referenceImports.id, id), eq(referenceImports.status, 'preview')))
          .returning();
      if (pending.kind === 'schools') {
        const [row] = await claim(db, 'running');
        if (!row) throw new ConflictError('import_not_pending', 'This upload has already been confirmed or cancelled');
        return { row, run: schoolImport(actor, id, pending.fileName ?? 'upload', text) };
      }
      const list = pending.kind;
      if (!isReferenceList(list)) throw new NotFoundError('list');
      const read = await readList(list, text);
      const row = await db.transaction(async (tx) => {
        const [claimed] = await claim(tx, 'finished');
        if (!claimed) throw new ConflictError('import_not_pending', 'This upload has already been confirmed or cancelled');
        const plan = await applyList(tx, list, read.entries);
        const [done] = await tx
          .update(referenceImports)
          .set({ added: plan.added.length, removed: plan.removed.length, updated: plan.changed.length, finishedAt: clock.now() })
          .where(eq(referenceImports.id, id))
          .returning();
        await audit(tx, clock, actor, { action: 'reference.list_replaced', entityType: 'reference_list', entityId: list, after: { fileName: pending.fileName, added: plan.added.length, removed: plan.removed.length, changed: plan.changed.length, rejected: read.rejected, size: read.entries.size } });
        return done!;
      });
      return { row };
    },

    /** Drops an upload waiting for confirmation; nothing it held is applied. */
    async cancelImport(actor: Actor, id: string): Promise<void> {
      authorise(actor);
      await db
        .update(referenceImports)
        .set({ status: 'cancelled', pendingFile: null, finishedAt: clock.now() })
        .where(and(eq(referenceImports.id, id), eq(referenceImports.status, 'preview')));
    },

    /**
     * Replaces a yearly list with an upload at once (the API), reporting rows added, removed, relabelled
     * and refused. Any refused row stops the whole upload (422 `invalid_rows`, with each row's line and
     * reason) unless `skipInvalid`, when the valid rows replace the list.
     */
    async replaceList(actor: Actor, list: ReferenceList, fileName: string, bytes: Buffer, opts: { skipInvalid?: boolean } = {}): Promise<ImportRow> {
      authorise(actor);
      const read = await readList(list, decodeCsv(bytes));
      if (read.rejected > 0 && !opts.skipInvalid) throw refuseInvalidRows(read.rejected, read.rejections);
      return db.transaction(async (tx) => {
        const plan = await applyList(tx, list, read.entries);
        const [row] = await tx
          .insert(referenceImports)
          .values({ ...listImportRow(actor, list, fileName, read, plan), status: 'finished', finishedAt: clock.now() })
          .returning();
        await audit(tx, clock, actor, { action: 'reference.list_replaced', entityType: 'reference_list', entityId: list, after: { fileName, added: plan.added.length, removed: plan.removed.length, changed: plan.changed.length, rejected: read.rejected, size: read.entries.size } });
        return row!;
      });
    },

    async importStatus(actor: Actor, id: string): Promise<ImportRow> {
      authorise(actor);
      const [row] = await db.select().from(referenceImports).where(eq(referenceImports.id, id));
      if (!row) throw new NotFoundError('import');
      return row;
    },

    async recentImports(actor: Actor) {
      authorise(actor);
      return db.select().from(referenceImports).orderBy(desc(referenceImports.startedAt)).limit(20);
    },

    async listSizes(actor: Actor): Promise<Record<string, number>> {
      authorise(actor);
      const rows = await db.select({ list: referenceListEntries.list, n: count() }).from(referenceListEntries).groupBy(referenceListEntries.list);
      const [schoolCount] = await db.select({ n: count() }).from(schools);
      return { ...Object.fromEntries(rows.map((r) => [r.list, r.n])), schools: schoolCount?.n ?? 0 };
    },

    /**
     * Search by URN, postcode, or words of the name and town as people write them ("st mary" finds
     * "Saint Mary's College", "c of e" finds "CE"), in any order (`schoolSearchQuery`). Open to anyone:
     * GIAS data is public. The search text is indexed (GIN on its tsvector), so 50,000 schools stay fast.
     */
    async searchSchools(query: string, opts: { includeClosed?: boolean; limit?: number } = {}) {
      const q = query.trim();
      if (!q) return [];
      const limit = Math.min(opts.limit ?? 20, 50);
      const open = opts.includeClosed ? sql`true` : sql`${schools.closed} = false`;
      if (/^\d{6}$/.test(q)) return db.select().from(schools).where(eq(schools.urn, Number(q))).limit(1);
      const compact = q.toUpperCase().replace(/\s+/g, '');
      if (/^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$/.test(compact)) {
        return db.select().from(schools).where(and(sql`upper(replace(${schools.postcode}, ' ', '')) = ${compact}`, open)).orderBy(schools.name).limit(limit);
      }
      const tsquery = schoolSearchQuery(q);
      if (!tsquery) return [];
      return db
        .select()
        .from(schools)
        .where(and(sql`to_tsvector('simple', ${schools.searchText}) @@ to_tsquery('simple', ${tsquery})`, open))
        .orderBy(schools.name)
        .limit(limit);
    },

    /**
     * The school with this GIAS URN, or undefined. A URN that cannot be one (not a whole number in the
     * column's range: NaN from a stored value that is not digits, say) finds none, never an error.
     */
    async school(urn: number) {
      if (!Number.isSafeInteger(urn) || urn <= 0 || urn > MAX_URN) return undefined;
      const [row] = await db.select().from(schools).where(eq(schools.urn, urn));
      return row;
    },

    async onList(list: ReferenceList, key: string): Promise<boolean> {
      const rows = await db
        .select({ key: referenceListEntries.key })
        .from(referenceListEntries)
        .where(and(eq(referenceListEntries.list, list), eq(referenceListEntries.key, key)))
        .limit(1);
      return rows.length > 0;
    },
  };
}
export type ReferenceService = ReturnType<typeof createReferenceService>;
