import { describe, expect, it } from 'vitest';
import { emailedOfNew, hasSupport, mayWithdraw, recipientsOf, roleIn, type Support, WITHDRAW_WITHIN_MINUTES } from './messages';

const support: Support = { participantUserId: 'pat', tutor: { userId: 'tia', name: 'Tia' }, facilitator: { userId: 'fi', name: 'Fi', groupName: 'Group A' } };

describe('who is in a conversation', () => {
  it('is the participant, their tutor and their facilitator; anyone else is nobody in it', () => {
    expect(roleIn(support, 'pat')).toBe('participant');
    expect(roleIn(support, 'tia')).toBe('tutor');
    expect(roleIn(support, 'fi')).toBe('facilitator');
    expect(roleIn(support, 'admin')).toBeUndefined();
    // Someone who both tutors and facilitates writes as the tutor, and is told once.
    const both: Support = { ...support, facilitator: { userId: 'tia', name: 'Tia', groupName: 'Group A' } };
    expect(roleIn(both, 'tia')).toBe('tutor');
    expect(recipientsOf(both, 'pat')).toEqual(['tia']);
  });

  it('a new message is for everyone but its writer', () => {
    expect(recipientsOf(support, 'pat')).toEqual(['tia', 'fi']);
    expect(recipientsOf(support, 'tia')).toEqual(['pat', 'fi']);
    expect(recipientsOf({ participantUserId: 'pat' }, 'pat')).toEqual([]);
    expect(hasSupport({ participantUserId: 'pat' })).toBe(false);
    expect(hasSupport({ participantUserId: 'pat', facilitator: support.facilitator })).toBe(true);
  });
});

describe('rules of a message', () => {
  it('emails only the first of a stretch of unread messages', () => {
    expect(emailedOfNew(0)).toBe(true);
    expect(emailedOfNew(1)).toBe(false);
  });

  it('is withdrawn by its writer alone, once, within the time allowed', () => {
    const sent = new Date('2026-12-01T10:00:00Z');
    const at = (minutes: number) => new Date(sent.getTime() + minutes * 60_000);
    const message = { authorUserId: 'pat', createdAt: sent, withdrawnAt: null };
    expect(mayWithdraw(message, 'pat', at(WITHDRAW_WITHIN_MINUTES - 1))).toBe(true);
    expect(mayWithdraw(message, 'pat', at(WITHDRAW_WITHIN_MINUTES))).toBe(false);
    expect(mayWithdraw(message, 'tia', at(1))).toBe(false);
    expect(mayWithdraw({ ...message, withdrawnAt: at(1) }, 'pat', at(2))).toBe(false);
  });
});
