import * as assert from 'node:assert/strict';
import { applyToString, type TextOperation } from '@ensemble/collaboration-common';
import { toGuestRange, toRevisionOffset, waitForRevision, type RevisionedDocument } from './document-positions';

/**
 * A guest's text is its revision's text plus its pending edits: positions
 * go to the host without them and answers come back with them.
 */
describe('language features: guest document positions', () => {
    const base = 'alpha beta gamma';
    // The guest inserted "NEW " before "beta" and deleted "gamma" (not yet acknowledged).
    const pending: TextOperation = [6, 'NEW ', 5, { d: 'gamma' }];
    const guestText = applyToString(base, pending);
    const document: RevisionedDocument = { revision: 7, pendingOp: pending };

    it('moves an offset in the guest\'s text back to its revision\'s text', () => {
        assert.equal(guestText, 'alpha NEW beta ');
        assert.deepEqual(toRevisionOffset(document, guestText.indexOf('beta')), { revision: 7, offset: base.indexOf('beta') });
        assert.deepEqual(toRevisionOffset(document, 2), { revision: 7, offset: 2 });
        assert.deepEqual(toRevisionOffset({ revision: 3, pendingOp: undefined }, 9), { revision: 3, offset: 9 });
    });

    it('maps an answer\'s range at the same revision through the pending edits, and drops one of another revision', () => {
        const beta = { start: base.indexOf('beta'), end: base.indexOf('beta') + 4 };
        const mapped = toGuestRange(document, 7, beta);
        assert.ok(mapped);
        assert.equal(guestText.slice(mapped.start, mapped.end), 'beta');
        // A range on text the guest deleted collapses to where it was.
        const gamma = toGuestRange(document, 7, { start: base.indexOf('gamma'), end: base.length });
        assert.deepEqual(gamma, { start: guestText.length, end: guestText.length });
        assert.equal(toGuestRange(document, 8, beta), undefined);
        assert.equal(toGuestRange(document, undefined, beta), undefined);
    });

    it('waits briefly for the revision an answer was computed at', async () => {
        const moving = { revision: 1, pendingOp: undefined };
        setTimeout(() => { moving.revision = 2; }, 50);
        await waitForRevision(moving, 2, 5_000);
        assert.equal(moving.revision, 2);
        const stuck = { revision: 1, pendingOp: undefined };
        await waitForRevision(stuck, 5, 100); // gives up: the caller then drops the ranges
        assert.equal(stuck.revision, 1);
    });
});
