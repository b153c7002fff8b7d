/**
 * Starts the platform for the browser journeys. With DATABASE_URL set, on a fresh database of that
 * server (older e2e databases are dropped first); otherwise on a fresh embedded database.
 */
import pg from 'pg';

const serverUrl = process.env.DATABASE_URL;
if (serverUrl) {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const old = await admin.query<{ datname: string }>("select datname from pg_database where datname like 'npq_e2e_%'");
  for (const { datname } of old.rows) await admin.query(`drop database if exists ${datname} with (force)`);
  const name = `npq_e2e_${process.pid}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
}
await import('../src/server');
