import * as assert from 'node:assert/strict';
import {
    byName, fromSharedFunctionBreakpoints, mergeExceptionFilters, toSharedExceptionFilters, toSharedFunctionBreakpoints
} from './global-breakpoints';
import { mergeChanges, sameLists } from './shared-breakpoints';

describe('debugging for guests: function breakpoints and exception filters in their shared form', () => {
    it('sorts function breakpoints by name with only set fields; an unchanged one keeps its object, a changed one gets a new id', () => {
        const local = [
            { id: 'b', enabled: true, raw: { name: 'render', condition: '' } },
            { id: 'a', enabled: false, raw: { name: 'main', hitCondition: '3' } }
        ];
        const shared = toSharedFunctionBreakpoints(local);
        assert.deepEqual(shared, [{ name: 'main', enabled: false, hitCondition: '3' }, { name: 'render', enabled: true }]);

        const wanted = [{ name: 'main', enabled: false, hitCondition: '3' }, { name: 'render', enabled: false }, { name: 'parse', enabled: true }];
        const result = fromSharedFunctionBreakpoints(wanted, local);
        assert.equal(result[0], local[1], 'unchanged: the same object, so its session data survives');
        assert.ok(!['a', 'b'].includes(result[1].id), 'changed (disabled): a new id, since the manager keeps an id\'s old object');
        assert.ok(!['a', 'b'].includes(result[2].id));
        assert.ok(sameLists(toSharedFunctionBreakpoints(result), toSharedFunctionBreakpoints(result.slice().reverse())));
        assert.deepEqual(toSharedFunctionBreakpoints(result), [wanted[0], wanted[2], wanted[1]], 'applying a list and reading it back gives the same list: no echo');
    });

    it('reads an exception filter\'s condition from where it was set last (Edit Condition writes `raw`), and merges lists by filter', () => {
        assert.deepEqual(toSharedExceptionFilters([
            { enabled: true, condition: 'old', raw: { filter: 'uncaught', condition: 'new' } },
            { enabled: false, condition: 'kept', raw: { filter: 'all' } },
            { enabled: true, condition: 'cleared', raw: { filter: 'user', condition: undefined } }
        ]), [
            { filter: 'all', enabled: false, condition: 'kept' },
            { filter: 'uncaught', enabled: true, condition: 'new' },
            { filter: 'user', enabled: true }
        ]);
        assert.deepEqual(mergeExceptionFilters(
            [{ filter: 'all', enabled: false }, { filter: 'uncaught', enabled: true }],
            [{ filter: 'uncaught', enabled: false, condition: 'x' }, { filter: 'user', enabled: true }]
        ), [{ filter: 'all', enabled: false }, { filter: 'uncaught', enabled: false, condition: 'x' }, { filter: 'user', enabled: true }]);
    });
    it('merges a peer\'s changes (from the list it had to its list) into the current one, keeping what changed meanwhile', () => {
        const name = (entry: { name: string }) => entry.name;
        const base = [{ name: 'a', enabled: true }, { name: 'b', enabled: true }, { name: 'c', enabled: true }];
        // Meanwhile the host disabled `a`, removed `c` and added `h`.
        const current = [{ name: 'a', enabled: false }, { name: 'b', enabled: true }, { name: 'h', enabled: true }];
        // The peer removed `b`, disabled `c` and added `p`; `a` it left alone.
        const mine = [{ name: 'a', enabled: true }, { name: 'c', enabled: false }, { name: 'p', enabled: true }];
        assert.deepEqual(mergeChanges(current, base, mine, name, byName), [
            { name: 'a', enabled: false }, { name: 'c', enabled: false }, { name: 'h', enabled: true }, { name: 'p', enabled: true }
        ]);
        assert.deepEqual(mergeChanges(current, base, base, name, byName), current, 'no change of the peer\'s: the current list as it is');
    });
});
