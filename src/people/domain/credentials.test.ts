import { describe, expect, it } from 'vitest';
import { normaliseRecoveryCode, passwordSchema } from './credentials';
import { PERSONAL_PASSWORD_MESSAGE, passwordProblem, WEAK_PASSWORD_MESSAGE } from './passwords';

describe('passwords', () => {
  it('need twelve or more characters', () => {
    expect(passwordSchema.safeParse('short').success).toBe(false);
    expect(passwordSchema.safeParse('correct horse battery').success).toBe(true);
    expect(passwordProblem('short', [])).toMatch(/12 characters or more/);
    expect(passwordProblem('x'.repeat(129), [])).toMatch(/128 characters or fewer/);
  });

  it('refuse common and breached passwords, and small changes to them', () => {
    for (const common of ['password1234', 'Password123!', 'qwertyuiop123', 'iloveyou1234', 'football2024', 'aaaaaaaaaaaaaaaa', 'trustno1trustno1', '123456789012']) {
      expect(passwordProblem(common, []), common).toBe(WEAK_PASSWORD_MESSAGE);
    }
  });

  it('refuse a password made of the person’s own name or address', () => {
    expect(passwordProblem('pat.participant2026', ['Pat Participant', 'pat.participant@school.org.uk'])).toBe(PERSONAL_PASSWORD_MESSAGE);
  });

  it('accept a few unrelated words', () => {
    for (const good of ['tractor marble ocean kettle', 'correct horse battery staple', 'a long new password']) expect(passwordProblem(good, ['Pat Participant']), good).toBeUndefined();
  });
});

it('reads recovery codes however they are typed', () => {
  expect(normaliseRecoveryCode(' K7M2 9QXT ')).toBe('k7m2-9qxt');
  expect(normaliseRecoveryCode('k7m2-9qxt')).toBe('k7m2-9qxt');
});
