import { createRequire } from 'node:module';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { PASSWORD_MAX, PASSWORD_MIN } from './credentials';

/**
 * zxcvbn scores 0–4; 3 is "safely unguessable: moderate protection from an offline slow-hash attack"
 * (Dropbox's paper, USENIX Security 2016). Below it lie the common and breached passwords of the bundled
 * lists (language-common's top passwords, English words and names) and small changes to them
 * ("Password123!"), which NIST SP 800-63B §5.1.1.2 says to refuse.
 */
const MIN_SCORE = 3;

const require = createRequire(import.meta.url);
let estimator: ZxcvbnFactory | undefined;
// Loading the word lists (0.2 s: they unpack themselves) and building the dictionaries (about a
// second) are done on first use, not at start: most starts of the platform check no password.
const zxcvbn = () => {
  if (!estimator) {
    const common: typeof import('@zxcvbn-ts/language-common') = require('@zxcvbn-ts/language-common');
    const english: typeof import('@zxcvbn-ts/language-en') = require('@zxcvbn-ts/language-en');
    estimator = new ZxcvbnFactory({ dictionary: { ...common.dictionary, ...english.dictionary }, graphs: common.adjacencyGraphs });
  }
  return estimator;
};

export const WEAK_PASSWORD_MESSAGE = 'Choose a password that is harder to guess: this one is a common password or too like one. A few unrelated words work well';
export const PERSONAL_PASSWORD_MESSAGE = 'Choose a password that does not contain your name or email address';

/**
 * Why a new password cannot be used, or undefined when it can. `personal` holds the person's name and
 * email address: a password built from them is refused. Used by every way of choosing a password.
 */
export function passwordProblem(password: string, personal: string[]): string | undefined {
  if (password.length < PASSWORD_MIN) return `Password must be ${PASSWORD_MIN} characters or more`;
  if (password.length > PASSWORD_MAX) return `Password must be ${PASSWORD_MAX} characters or fewer`;
  const inputs = personal.flatMap((p) => [p, ...p.split(/[\s@.]+/)]).map((p) => p.toLowerCase()).filter((p) => p.length >= 3);
  // A name or address is known to whoever targets the person: judge what is left without it.
  const lower = password.toLowerCase();
  const withoutPersonal = inputs.filter((p) => p.length >= 4).reduce((rest, p) => rest.split(p).join(''), lower);
  if (withoutPersonal !== lower && zxcvbn().check(withoutPersonal).score < MIN_SCORE) return PERSONAL_PASSWORD_MESSAGE;
  return zxcvbn().check(password, inputs).score < MIN_SCORE ? WEAK_PASSWORD_MESSAGE : undefined;
}
