import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import type { CsvCell } from '../../platform/admin';
import { DIFFERENCE_CAUSES, LINE_NOTES, shortId, type Statement, type StatementReckoning } from '../domain/finance';

/*
 * A statement's lines as a download (issue 13 item 5): the same rows as CSV (platform/admin.ts
 * sendCsv) and as an Excel workbook (exceljs; docs/adr/0074), for finance to check against DfE's
 * statement and to keep. Every date in them is ISO `YYYY-MM-DD`, DfE's own format for statements;
 * the NPQ by its name, with DfE's course identifier in a column of its own.
 */

const HEADING = ['Participant', 'NPQ', 'NPQ identifier', 'Cohort', 'Declaration', 'Line', 'Sent to DfE', 'Platform state', 'DfE state', 'DfE declaration id', 'Platform expects (£)', 'DfE holds (£)', 'Difference (£)', 'Cause', 'Note'] as const;
/** The money columns (0-based), which the workbook formats as pounds. */
const MONEY = [10, 11, 12];

/** Pence as pounds for a spreadsheet: a number, so it adds up; empty when no contract prices it. */
const pounds = (pence: number | null): number | null => (pence === null ? null : pence / 100);

/** The statement named as DfE's portal names it: `December 2026` (two of a start year share it: see statementRef). */
export const statementName = (s: Statement) => `${s.month} ${s.year}`;

/** Another statement as a download names it, dates ISO: `statement paid 2027-01-25, DfE id 1a2b3c4d`. */
const statementRef = (s: Statement) => `statement ${s.paid ? 'paid' : 'to be paid'} ${s.paymentDate}, DfE id ${shortId(s.id)}`;

/**
 * A reckoned statement's lines as rows, heading first: each declaration's output payment or clawback
 * with both sides in pounds (numbers; negative for clawbacks), their difference and its cause in
 * words, then the service fee. `statements` names the other statement a cause points to.
 */
export function statementLineRows(r: StatementReckoning, statements: ReadonlyMap<string, Statement>, npqNames: ReadonlyMap<string, string> = new Map()): CsvCell[][] {
  const rows: CsvCell[][] = [[...HEADING]];
  for (const l of r.lines) {
    const d = l.declaration;
    const other = l.otherStatementId ? statements.get(l.otherStatementId) : undefined;
    const cause = l.cause ? `${DIFFERENCE_CAUSES[l.cause]}${other ? ` (${statementRef(other)})` : ''}` : '';
    const note = l.note ? `${LINE_NOTES[l.note]}${l.note === 'voided_after_payment' && other ? ` (${statementRef(other)})` : ''}` : '';
    const difference = l.expectedPence === null || l.dfePence === null ? null : l.expectedPence - l.dfePence;
    rows.push([d.fullName, npqNames.get(d.courseIdentifier) ?? d.courseIdentifier, d.courseIdentifier, d.cohort, d.declarationType, l.kind === 'output' ? 'Output payment' : 'Clawback', d.sentOn ?? '', d.state, d.dfeState ?? '', d.dfeDeclarationId ?? '', pounds(l.expectedPence), pounds(l.dfePence), pounds(difference), cause, note]);
  }
  rows.push(['Service fee', '', '', r.cohort ?? '', '', `Instalment ${r.instalment}`, '', '', '', '', pounds(r.serviceFeePence), pounds(r.serviceFeePence), 0, '', r.notes.join('. ')]);
  return rows;
}

/** A download name unique to the statement: `dfe-statement-2026-12-25-2026b-1a2b3c4d` (payment date, cohort, DfE's id in short). */
export const exportName = (r: StatementReckoning) => `dfe-statement-${r.statement.paymentDate}-${r.cohort ?? r.statement.cohort}-${shortId(r.statement.id)}`;

/**
 * Sends rows as an Excel workbook (.xlsx) download, one sheet, the heading bold and frozen, the money
 * columns as pounds: like sendCsv, an attachment with a safe filename and `no-store` (it names
 * participants). Cells are written as values, never formulas, so text cannot run in a spreadsheet.
 */
export async function sendXlsx(reply: FastifyReply, filename: string, sheet: string, rows: CsvCell[][]): Promise<FastifyReply> {
  const book = new ExcelJS.Workbook();
  book.creator = 'NPQ Platform';
  const ws = book.addWorksheet(sheet.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  for (const row of rows) ws.addRow(row.map((c) => (c === undefined ? null : c)));
  ws.getRow(1).font = { bold: true };
  for (const i of MONEY) ws.getColumn(i + 1).numFmt = '£#,##0.00;-£#,##0.00';
  ws.columns.forEach((c, i) => {
    c.width = Math.min(60, Math.max(10, ...rows.map((r) => String(r[i] ?? '').length + 2)));
  });
  const body = Buffer.from(await book.xlsx.writeBuffer());
  const safe = `${filename.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '').slice(0, 100) || 'export'}.xlsx`;
  return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', `attachment; filename="${safe}"`).header('cache-control', 'no-store').send(body);
}
