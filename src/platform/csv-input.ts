import { Readable } from 'node:stream';
import { CsvError, type Options, parse } from 'csv-parse';
import { ValidationError } from './errors';

/**
 * Reading an uploaded CSV file: the one place files become text and rows, so every import refuses
 * what it cannot read with a message naming the line (a 422 `validation_failed` on the field
 * `file`), never a parser's or the database's own words.
 */

/** A file the import cannot read: the message names the line and says what to do. */
export class CsvFileError extends ValidationError {
  constructor(message: string) {
    super({ file: message }, message);
  }
}

/**
 * The text of an uploaded CSV: UTF-8, else Windows-1252 (GIAS publishes its extracts in it). A NUL
 * byte means it is not a text file (a spreadsheet saved as .xlsx, UTF-16): refused with its line,
 * as the database could not store the text anyway. Throws CsvFileError.
 */
export function decodeCsvFile(bytes: Buffer): string {
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    const line = bytes.subarray(0, nul).toString('latin1').split('\n').length;
    throw new CsvFileError(`The file is not a CSV text file: it has a NUL character on line ${line}. Save it from your spreadsheet as “CSV UTF-8” and try again`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

const REASONS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted value is never closed',
  CSV_INVALID_CLOSING_QUOTE: 'a quote appears inside a value that is not quoted',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'there is text after a closing quote',
  CSV_MAX_RECORD_SIZE: 'a row is too long',
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: 'a row has a different number of columns from the header',
  CSV_RECORD_INCONSISTENT_COLUMNS: 'a row has a different number of columns from the header',
};

/** A csv-parse error in words, with the line it stopped on. */
export function csvErrorMessage(err: CsvError): string {
  const line = typeof err.lines === 'number' ? err.lines : undefined;
  const reason = REASONS[err.code] ?? 'it is not laid out as CSV';
  return `The file could not be read as CSV${line ? ` at line ${line}` : ''}: ${reason}. Check the file and try again`;
}

/**
 * The rows of CSV text, streamed (GIAS extracts run to tens of megabytes), with csv-parse's options.
 * A malformed file stops the iteration with CsvFileError naming the line; rows before it were given.
 */
export async function* csvRows<T = string[]>(text: string, options: Options): AsyncGenerator<T> {
  const parser = Readable.from([text]).pipe(parse({ max_record_size: 1024 * 1024, ...options }));
  try {
    for await (const row of parser) yield row as T;
  } catch (err) {
    if (err instanceof CsvError) throw new CsvFileError(csvErrorMessage(err));
    throw err;
  }
}
