import * as assert from 'assert';
import { combinePasses, ReplayResult } from './replay';

function result(peer: string, trace: string, opsPerSecond: number, editsApplied = 100): ReplayResult {
    return { peer, trace, opsPerSecond, editsApplied, totalEdits: 100, rounds: 5 };
}

describe('benchmark passes', () => {
    it('combines passes into the median figure per trace and implementation, in the first pass\'s order', () => {
        const combined = combinePasses([
            [result('ours', 'a', 10), result('peer', 'a', 7), result('ours', 'b', 1)],
            [result('peer', 'a', 9), result('ours', 'a', 30), result('ours', 'b', 3, 60)],
            [result('ours', 'a', 20), result('ours', 'b', 2), result('peer', 'a', 8)],
        ]);
        assert.deepStrictEqual(combined.map(r => [r.peer, r.trace, r.opsPerSecond, r.rounds, r.editsApplied]), [
            ['ours', 'a', 20, 15, 100],
            ['peer', 'a', 8, 15, 100],
            ['ours', 'b', 2, 15, 60],
        ]);
    });
});
