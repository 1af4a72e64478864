import assert from 'node:assert/strict';
import { renewalDue } from '../../../src/federation/enrolment/renewal';

describe('certificate renewal: when', () => {
  const day = 24 * 60 * 60 * 1000;
  it('is due once a third of the life is left, or within renewBeforeDays, never before', () => {
    const issued = 0;
    const expires = 825 * day;
    assert.equal(renewalDue(issued, expires, 500 * day, 30 * day), false, '325 days left of 825');
    assert.equal(renewalDue(issued, expires, 551 * day, 30 * day), true, 'under a third left');
    assert.equal(renewalDue(issued, 60 * day, 20 * day, 30 * day), false, 'a short-lived certificate, 40 days left');
    assert.equal(renewalDue(issued, 60 * day, 31 * day, 30 * day), true, 'within renewBeforeDays');
  });
});
