/**
 * Starts the platform for the browser journeys. With DATABASE_URL set, on a fresh database of that
 * server (older e2e databases are dropped first); otherwise on a fresh embedded database.
 */
import { withConnection } from '../src/db/client';

const serverUrl = process.env.DATABASE_URL;
if (serverUrl) {
  const name = `npq_e2e_${process.pid}`;
  await withConnection(serverUrl, async (admin) => {
    const old = await admin.query<{ datname: string }>("select datname from pg_database where datname like 'npq_e2e_%'");
    for (const { datname } of old.rows) await admin.query(`drop database if exists ${datname} with (force)`);
    await admin.query(`create database ${name}`);
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
}
await import('../src/server');
