import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync } from 'node:crypto';

/** An unguessable token for links and sessions (256 bits); only its hash is stored. */
export const randomToken = (): string => randomBytes(32).toString('base64url');

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** Keys derived from application secrets, by secret: one derivation a process, however many boxes. */
const derivedKeys = new Map<string, Buffer>();

/**
 * AES-256-GCM with a key derived from the application secret: for secrets we must read back (TOTP,
 * school approval links). The key is derived on the first seal or open, not when the box is made:
 * scrypt takes 0.1–0.2 s of CPU, which every start of the platform paid twice before serving (the
 * services' box and the jobs'), though most starts seal or open nothing for a while.
 */
export function secretBox(appSecret: string) {
  const keyOf = (): Buffer => {
    let key = derivedKeys.get(appSecret);
    if (!key) {
      key = scryptSync(appSecret, 'npq-platform/secret-box', 32);
      derivedKeys.set(appSecret, key);
    }
    return key;
  };
  return {
    seal(plain: string): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keyOf(), iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
    },
    open(sealed: string): string {
      const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
      if (!iv || !tag || !body) throw new Error('sealed value is malformed');
      const decipher = createDecipheriv('aes-256-gcm', keyOf(), iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    },
  };
}
export type SecretBox = ReturnType<typeof secretBox>;
