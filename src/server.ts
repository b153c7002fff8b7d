import cluster from 'node:cluster';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { buildApp, buildServices, type Services } from './app';
import { type Config, loadConfig, withArguments } from './config';
import { type Database, openDatabase } from './db/client';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET } from './demo/demo-data';
import { applyDemoSetting } from './demo/demo-setting';
import { startDfeSync } from './dfe/dfe-sync';
import { deliverDueMail } from './mail/outbox';
import { system } from './platform/auth/actor';
import { systemClock } from './platform/clock';
import { localNotifier, type Notifier, postgresNotifier } from './platform/notifier';

/*
 * One process serves by default. With WORKERS=N or `--workers N` (PostgreSQL only, docs/adr/0031) this
 * process is the primary: it migrates and prepares the database once, then runs N platform processes
 * (node:cluster) that share the port, starts another when one dies, and passes SIGTERM/SIGINT on.
 */

let config: Config;
try {
  config = loadConfig(withArguments(process.env, process.argv.slice(2)));
} catch (err) {
  // The message names each setting and what is wrong with it; a stack trace would only bury it.
  console.error((err as Error).message);
  process.exit(1);
}

/** Writes what a person starting the demo needs: where it runs and how to sign in. */
function announce(database: Database['kind']) {
  if (!config.DEMO) return;
  const lines = [
    '',
    `NPQ Platform is running at ${config.baseUrl} (database: ${database}${database === 'pglite' ? `, in ${path.resolve(config.DATA_DIR)}` : ''}${config.WORKERS > 1 ? `, ${config.WORKERS} processes` : ''})`,
    `Mail: ${config.SMTP_URL ? `sent through ${new URL(config.SMTP_URL).host}` : 'kept in the outbox; read it at /admin/outbox as the provider admin'}`,
    '',
    `Demo accounts (password for all: ${DEMO_PASSWORD}):`,
    ...DEMO_ACCOUNTS.map((a) => `  ${a.role.padEnd(22)} ${a.email}`),
    '',
    `Staff accounts ask for a second factor: add this key to an authenticator app: ${DEMO_TOTP_SECRET}`,
    '  (or print the current code with: npm run demo:code)',
    '',
  ];
  console.log(lines.join('\n'));
}

// Until the application's logger exists (migrations run first), connection faults go to stderr.
let logConnectionError = (err: Error) => console.error(`database connection lost: ${err.message}`);
const open = () =>
  config.DATABASE_URL
    ? openDatabase({ kind: 'postgres', url: config.DATABASE_URL, onConnectionError: (err) => logConnectionError(err) })
    : openDatabase({ kind: 'pglite', dataDir: path.resolve(config.DATA_DIR, 'pglite') });

/** What is done once per start, not once per process: the diagnostic's instrument, the demo, the bootstrap token. */
async function prepare(database: Database, services: Services, log: { info(msg: string): void; warn(obj: object, msg: string): void }) {
  await services.diagnostic.ensureSetUp();
  const demo = await applyDemoSetting({ config, db: database.db, services, clock: systemClock });
  // After the demo: the programmes are seeded for NPQs the catalogue has.
  await services.learning.ensureProgrammes();
  if (demo.loaded) log.info('demo provider loaded');
  if (demo.deactivated.length) log.warn({ accounts: demo.deactivated }, 'demo accounts with the published password deactivated: this is production');
  const bootstrapToken = process.env.NPQ_BOOTSTRAP_API_TOKEN;
  if (bootstrapToken && !(await services.apiTokens.exists())) {
    await services.apiTokens.create(system('bootstrap'), 'Bootstrap token', 'provider_admin', bootstrapToken);
    log.info('bootstrap API token created from NPQ_BOOTSTRAP_API_TOKEN');
  }
}

if (config.WORKERS > 1 && cluster.isPrimary) await runPrimary();
else await serve();

async function runPrimary() {
  const database = await open();
  const log = { info: (msg: string) => console.log(msg), warn: (obj: object, msg: string) => console.warn(msg, JSON.stringify(obj)) };
  await prepare(database, buildServices({ config, database, clock: systemClock }), log);
  await database.close();

  let stopping = false;
  let listening = 0;
  cluster.on('listening', () => {
    if (++listening === config.WORKERS) announce('postgres');
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    console.error(`platform process ${worker.process.pid} ended (${signal ?? `exit code ${code}`}); starting another`);
    setTimeout(() => cluster.fork(), 1000).unref();
  });
  for (let i = 0; i < config.WORKERS; i++) cluster.fork();

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping ${config.WORKERS} platform processes`);
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    const check = setInterval(() => {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        clearInterval(check);
        process.exit(0);
      }
    }, 50);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function serve() {
  const database = await open();
  // On PostgreSQL other processes (here or on other machines) may share the database: their caches
  // hear of changes through LISTEN/NOTIFY. PGlite is this process's alone.
  let notifier: Notifier = localNotifier();
  let logNotifier = (msg: string, err?: unknown) => console.error(msg, err);
  if (config.DATABASE_URL) notifier = await postgresNotifier({ url: config.DATABASE_URL, db: database.db, log: (msg, err) => logNotifier(msg, err) });

  const deps = { config, database, clock: systemClock, notifier };
  const services = buildServices(deps);
  const app = await buildApp(deps, services);
  logConnectionError = (err) => app.log.warn({ err }, 'database connection lost; the pool opens another');
  logNotifier = (msg, err) => app.log.warn({ err }, msg);
  // A worker's primary has prepared the database once for all.
  if (!cluster.isWorker) await prepare(database, services, app.log);

  const jobs = services.jobs;
  jobs.setLog((msg, err) => (err ? app.log.warn({ err }, msg) : app.log.info(msg)));
  if (config.SMTP_URL) {
    const transport = nodemailer.createTransport(config.SMTP_URL);
    // Once a second across all processes; each message is claimed, so a slow round never sends twice.
    jobs.every('mail.deliver', 1000, async () => {
      await deliverDueMail({ db: database.db, transport, from: config.MAIL_FROM, clock: systemClock, log: (msg, err) => app.log.warn({ err }, msg) });
    });
  }
  // DfE's API (issue 13): in one process only, as the jobs are claimed across processes anyway and the demo's stand-in has one port.
  const dfe = cluster.isWorker && cluster.worker?.id !== 1 ? null : await startDfeSync({ config, db: database.db, clock: systemClock, jobs, record: services.applications.recordDfeApplication, changeId: services.applications.recordDfeParticipantIdChange, linkPartners: (records) => services.catalogue.linkPartnersToDfe(system('DfE sync'), records), transferredAway: services.applications.recordDfeTransfersAway, log: (msg) => app.log.warn(msg) });
  if (dfe) app.log.info(dfe.standIn ? `DfE stand-in at ${dfe.url}/api/v3: applications registered there are pulled into the inbox every 5 minutes` : `DfE sync with ${dfe.url}`);
  jobs.start();

  let closing = false;
  // A response finished while shutting down closes its connection: a kept-alive socket would otherwise
  // hold close() open until the keep-alive timeout.
  app.addHook('onSend', async (_req, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  await app.listen({ host: config.HOST, port: config.PORT });
  if (!cluster.isWorker) announce(database.kind);

  async function shutdown(signal: string) {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await app.close(); // stops accepting, waits for in-flight requests
    app.log.info('requests finished');
    await jobs.stop(); // what it has not claimed stays queued for another process
    await dfe?.close();
    await notifier.close();
    await database.close();
    app.log.info('database closed; exiting');
    process.exit(0);
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
