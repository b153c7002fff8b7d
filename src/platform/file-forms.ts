import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { checkRequestInput } from './boundary';

/** A file as sent with a form: the name it came with, its bytes, and whether it was cut short at the size limit. */
export interface SentFile {
  name: string;
  bytes: Buffer;
  tooLarge?: boolean;
}

/**
 * Lets the routes of `app` (one plugin) take forms with one file of at most `maxBytes`: the file
 * arrives in the body as a SentFile beside the form's other fields, so the CSRF check reads `_csrf`
 * as for any form. A file over the limit is cut short and marked, not refused mid-request, so the
 * page can say so and keep what was typed. Pair each such route with uploadRoute (platform/admin.ts)
 * or an onRequest check, so nobody's body is read before they are known.
 */
export async function acceptFileForms(app: FastifyInstance, maxBytes: number, fields = 10): Promise<void> {
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: { fileSize: maxBytes, files: 1, fields },
    onFile: async (part) => {
      const bytes = await part.toBuffer();
      (part as unknown as { value: SentFile }).value = { name: part.filename, bytes, tooLarge: part.file.truncated };
    },
  });
  // The platform checks every form's text before its route runs (boundary.ts), but a multipart body is
  // read later than a form's: checked again here once it is, so a NUL or a broken character in a field
  // or a file's name is the same 400 as in any form, never a database error.
  app.addHook('preHandler', async (req) => checkRequestInput(req));
}

/** The file sent in a form's field, or undefined when the field holds none (a form sent without one, or as text). */
export const sentFile = (value: unknown): SentFile | undefined => (value && typeof value === 'object' && Buffer.isBuffer((value as SentFile).bytes) ? (value as SentFile) : undefined);
