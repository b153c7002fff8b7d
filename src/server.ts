import path from 'node:path';
import nodemailer from 'nodemailer';
import { buildApp, buildServices } from './app';
import { type Config, loadConfig } from './config';
import { openDatabase } from './db/client';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET } from './demo/demo-data';
import { applyDemoSetting } from './demo/demo-setting';
import { startMailDelivery } from './mail/outbox';
import { system } from './people/domain/actor';
import { systemClock } from './platform/clock';

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  // The message names each setting and what is wrong with it; a stack trace would only bury it.
  console.error((err as Error).message);
  process.exit(1);
}
// Until the application's logger exists (migrations run first), connection faults go to stderr.
let logConnectionError = (err: Error) => console.error(`database connection lost: ${err.message}`);
const database = config.DATABASE_URL
  ? await openDatabase({ kind: 'postgres', url: config.DATABASE_URL, onConnectionError: (err) => logConnectionError(err) })
  : await openDatabase({ kind: 'pglite', dataDir: path.resolve(config.DATA_DIR, 'pglite') });

const deps = { config, database, clock: systemClock };
const services = buildServices(deps);
const app = await buildApp(deps, services);
logConnectionError = (err) => app.log.warn({ err }, 'database connection lost; the pool opens another');
await services.diagnostic.ensureSetUp();

const demo = await applyDemoSetting({ config, db: database.db, services, clock: systemClock });
if (demo.loaded) app.log.info('demo provider loaded');
if (demo.deactivated.length) app.log.warn({ accounts: demo.deactivated }, 'demo accounts with the published password deactivated: this is production');
const bootstrapToken = process.env.NPQ_BOOTSTRAP_API_TOKEN;
if (bootstrapToken && !(await services.apiTokens.exists())) {
  await services.apiTokens.create(system('bootstrap'), 'Bootstrap token', 'provider_admin', bootstrapToken);
  app.log.info('bootstrap API token created from NPQ_BOOTSTRAP_API_TOKEN');
}

const mail = config.SMTP_URL
  ? startMailDelivery({
      db: database.db,
      transport: nodemailer.createTransport(config.SMTP_URL),
      from: config.MAIL_FROM,
      clock: systemClock,
      log: (msg, err) => app.log.warn({ err }, msg),
    })
  : undefined;

// Line managers who have not answered are reminded, and their links expire, on this sweep. Every change
// it makes is conditional on what it read, so several instances may run it at once.
const remindApprovers = () =>
  services.applications.remindAndExpireApprovals().then(
    (r) => (r.reminded || r.expired ? app.log.info(r, 'school approval reminders sent and links expired') : undefined),
    (err) => app.log.error({ err }, 'school approval reminders failed'),
  );
const approvalSweep = setInterval(remindApprovers, 60 * 60 * 1000);
approvalSweep.unref();
void remindApprovers();

let closing = false;
// A response finished while shutting down closes its connection: a kept-alive socket would otherwise
// hold close() open until the keep-alive timeout.
app.addHook('onSend', async (_req, reply) => {
  if (closing) reply.header('connection', 'close');
});

await app.listen({ host: config.HOST, port: config.PORT });

if (config.DEMO) {
  const lines = [
    '',
    `NPQ Platform is running at ${config.baseUrl} (database: ${database.kind}${database.kind === 'pglite' ? `, in ${path.resolve(config.DATA_DIR)}` : ''})`,
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

async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down: finishing requests in flight');
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  clearInterval(approvalSweep);
  await app.close(); // stops accepting, waits for in-flight requests
  app.log.info('requests finished');
  await mail?.stop();
  await database.close();
  app.log.info('database closed; exiting');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
