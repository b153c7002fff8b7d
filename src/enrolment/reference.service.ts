import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import { audit } from '../audit/audit';
import type { Db } from '../db/client';
import { referenceImports, referenceListEntries, schools } from '../db/schema';
import type { Actor } from '../people/domain/actor';
import { actorLabel } from '../people/domain/actor';
import { can } from '../people/domain/policy';
import type { Clock } from '../platform/clock';
import { ForbiddenError, NotFoundError, ValidationError } from '../platform/errors';
import { diffList, isListHeader, missingGiasColumns, parseGiasRow, parseListEntry, REFERENCE_LISTS, type ReferenceList, type SchoolRecord } from './domain/reference-data';

const BATCH = 1000;
const KEPT_REJECTIONS = 100;

/** GIAS publishes its extracts in Windows-1252; lists arrive as UTF-8. Either is read. */
export function decodeCsv(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

function csvRecords(text: string) {
  return Readable.from([text]).pipe(parse({ columns: (h: string[]) => h.map((c) => c.trim()), bom: true, skip_empty_lines: true, relax_column_count: true, trim: false }));
}

async function headerOf(text: string): Promise<string[]> {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const parser = Readable.from([firstLine]).pipe(parse({ relax_column_count: true }));
  for await (const row of parser) return (row as string[]).map((c) => c.trim());
  return [];
}

export type ImportRow = typeof referenceImports.$inferSelect;

export function createReferenceService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const authorise = (actor: Actor) => {
    if (!can(actor, 'reference:manage')) throw new ForbiddenError();
  };

  async function upsertSchools(batch: SchoolRecord[]) {
    const now = clock.now();
    const rows = await db
      .insert(schools)
      .values(batch.map((s) => ({ ...s, importedAt: now })))
      .onConflictDoUpdate({
        target: schools.urn,
        set: Object.fromEntries(
          Object.keys(batch[0]!)
            .filter((k) => k !== 'urn')
            .map((k) => [k, sql.raw(`excluded.${k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`)])
            .concat([['importedAt', sql.raw('excluded.imported_at')]]),
        ),
      })
      .returning({ inserted: sql<boolean>`(xmax = 0)` });
    const added = rows.filter((r) => r.inserted).length;
    return { added, updated: rows.length - added };
  }

  return {
    /** Starts a GIAS import; `run` does the work (the web awaits nothing, the API awaits it). */
    async beginSchoolImport(actor: Actor, fileName: string, bytes: Buffer): Promise<{ importId: string; run: () => Promise<ImportRow> }> {
      authorise(actor);
      const text = decodeCsv(bytes);
      const header = await headerOf(text);
      const missing = missingGiasColumns(header);
      if (missing.length) throw new ValidationError({ file: `The file is not a GIAS extract: it has no ${missing.join(' or ')} column` });
      const totalRows = Math.max(0, text.split(/\r?\n/).filter((l) => l.trim()).length - 1);
      const [row] = await db
        .insert(referenceImports)
        .values({ kind: 'schools', status: 'running', fileName, totalRows, startedAt: clock.now(), actorLabel: actorLabel(actor) })
        .returning();
      const importId = row!.id;
      const run = async (): Promise<ImportRow> => {
        const rejections: { row: number; reason: string }[] = [];
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
          let line = 1;
          for await (const record of csvRecords(text)) {
            line++;
            processed++;
            const parsed = parseGiasRow(record as Record<string, string>);
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
            .set({ status: 'failed', error: err instanceof Error ? err.message : String(err), processedRows: processed, added, updated, rejected, rejections, finishedAt: clock.now() })
            .where(eq(referenceImports.id, importId))
            .returning();
          return failed!;
        }
      };
      return { importId, run };
    },

    /** Replaces a yearly list with an upload, reporting rows added, removed and rejected (and why). */
    async replaceList(actor: Actor, list: ReferenceList, fileName: string, bytes: Buffer): Promise<ImportRow> {
      authorise(actor);
      const text = decodeCsv(bytes);
      const { column } = REFERENCE_LISTS[list];
      const header = await headerOf(text);
      // A file may have a header naming the column, or be a bare list of values.
      const headed = header.some((h) => isListHeader(list, h));
      const entries = new Map<string, string>();
      const rejections: { row: number; reason: string }[] = [];
      let rejected = 0;
      let line = headed ? 1 : 0;
      const parser = Readable.from([text]).pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: true, from_line: headed ? 2 : 1 }));
      const columnIndex = headed ? header.findIndex((h) => isListHeader(list, h)) : 0;
      for await (const record of parser) {
        line++;
        const parsed = parseListEntry(list, (record as string[])[columnIndex]);
        if (!parsed.ok) {
          rejected++;
          if (rejections.length < KEPT_REJECTIONS) rejections.push({ row: line, reason: parsed.reason });
          continue;
        }
        entries.set(parsed.value.key, parsed.value.label);
      }
      if (entries.size === 0) throw new ValidationError({ file: `The file has no valid ${column}s: ${rejections[0]?.reason ?? 'it is empty'}` });
      return db.transaction(async (tx) => {
        const before = await tx.select({ key: referenceListEntries.key }).from(referenceListEntries).where(eq(referenceListEntries.list, list));
        const diff = diffList(
          before.map((b) => b.key),
          entries.keys(),
        );
        if (diff.removed.length) await tx.delete(referenceListEntries).where(and(eq(referenceListEntries.list, list), inArray(referenceListEntries.key, diff.removed)));
        const toAdd = diff.added.map((key) => ({ list, key, label: entries.get(key)! }));
        for (let i = 0; i < toAdd.length; i += BATCH) await tx.insert(referenceListEntries).values(toAdd.slice(i, i + BATCH));
        const [row] = await tx
          .insert(referenceImports)
          .values({
            kind: list,
            status: 'finished',
            fileName,
            totalRows: line - (headed ? 1 : 0),
            processedRows: line - (headed ? 1 : 0),
            added: diff.added.length,
            removed: diff.removed.length,
            updated: 0,
            rejected,
            rejections,
            startedAt: clock.now(),
            finishedAt: clock.now(),
            actorLabel: actorLabel(actor),
          })
          .returning();
        await audit(tx, clock, actor, { action: 'reference.list_replaced', entityType: 'reference_list', entityId: list, after: { fileName, added: diff.added.length, removed: diff.removed.length, rejected, size: entries.size } });
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

    /** Search by URN, postcode, or words of the name and town. Open to anyone: GIAS data is public. */
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
      const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
      if (!words.length) return [];
      const tsquery = words.map((w) => `${w}:*`).join(' & ');
      return db
        .select()
        .from(schools)
        .where(and(sql`to_tsvector('simple', coalesce(${schools.name}, '') || ' ' || coalesce(${schools.town}, '') || ' ' || coalesce(${schools.postcode}, '')) @@ to_tsquery('simple', ${tsquery})`, open))
        .orderBy(schools.name)
        .limit(limit);
    },

    async school(urn: number) {
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
