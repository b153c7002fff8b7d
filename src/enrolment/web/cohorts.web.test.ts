import { describe, expect, it } from 'vitest';
import { Client, useTestApp } from '../../testing/test-app';

const t = useTestApp();

describe('cohort pages', () => {
  it('add a capped cohort with funded places, refuse a duplicate, and change its funding', async () => {
    const admin = new Client(t);
    await admin.signIn('admin@demo.npq.test');
    expect((await admin.get('/admin/cohorts')).body).toContain('2025a');
    await admin.get('/admin/cohorts/new');
    const bad = await admin.post('/admin/cohorts/new', { startYear: '20x8', suffix: 'A1', funding: '', 'limit-npq-headship': 'forty' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Start year must be a number');
    expect(bad.body).toContain('Use one to three letters for the suffix');
    expect(bad.body).toContain('Select how DfE funds this cohort');
    expect(bad.body).toContain('Funded places for npq-headship must be a whole number');
    const ok = await admin.post('/admin/cohorts/new', { startYear: '2028', suffix: 'a', funding: 'capped', 'limit-npq-headship': '25' });
    expect(ok.statusCode).toBe(303);
    expect((await admin.get('/admin/cohorts')).body).toContain('npq-headship: 25');
    await admin.get('/admin/cohorts/new');
    const dup = await admin.post('/admin/cohorts/new', { startYear: '2028', suffix: 'a', funding: 'full' });
    expect(dup.body).toContain('Cohort 2028a already exists');
    await admin.get('/admin/cohorts/2028a');
    expect((await admin.post('/admin/cohorts/2028a', { funding: 'none' })).statusCode).toBe(303);
    expect((await t.services.cohorts.byIdentifier('2028a'))?.funding).toBe('none');
  });

  it('are for provider admins only', async () => {
    const lead = new Client(t);
    await lead.signIn('lead.north@demo.npq.test');
    expect((await lead.get('/admin/cohorts')).statusCode).toBe(403);
  });
});
