import * as assert from 'node:assert/strict';
import URI from '@theia/core/lib/common/uri';
import { fromSharedBreakpoints, sameLists, toSharedBreakpoints, type LocalBreakpoint } from './shared-breakpoints';

describe('debugging for guests: breakpoints in their shared form', () => {
    const uri = new URI('ensemble://room/ws/main.js');
    const local: LocalBreakpoint[] = [
        { id: 'b', enabled: false, raw: { line: 9, condition: 'x > 1' } },
        { id: 'a', enabled: true, raw: { line: 3, column: 5, hitCondition: '', logMessage: 'at {x}' } }
    ];

    it('sorts by position and keeps only set fields, so that equal lists compare equal', () => {
        const shared = toSharedBreakpoints(local);
        assert.deepEqual(shared, [
            { line: 3, column: 5, enabled: true, logMessage: 'at {x}' },
            { line: 9, enabled: false, condition: 'x > 1' }
        ]);
        assert.ok(sameLists(shared, toSharedBreakpoints([...local].reverse())));
        assert.ok(!sameLists(shared, toSharedBreakpoints([local[0]])));
    });

    it('round-trips, keeping the id of a breakpoint at the same position (its session data survives)', () => {
        const shared = [...toSharedBreakpoints(local), { line: 12, enabled: true }];
        const result = fromSharedBreakpoints(uri, shared, local);
        assert.equal(result[0].id, 'a');
        assert.equal(result[1].id, 'b');
        assert.ok(!['a', 'b'].includes(result[2].id), 'a new breakpoint gets a new id');
        assert.ok(result.every(bp => bp.uri === uri.toString()));
        assert.ok(sameLists(toSharedBreakpoints(result), shared), 'applying a list and reading it back gives the same list: no echo');
    });
});
