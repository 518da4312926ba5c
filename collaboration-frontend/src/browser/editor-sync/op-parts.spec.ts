import * as assert from 'node:assert/strict';
import { applyToString, type TextOperation } from '@ensemble/collaboration-common';
import { SeededRandom } from '@ensemble/collaboration-common/lib/ot/testing/seeded-random';
import { joinOpParts, splitOp, wireSize } from './op-parts';

describe('op-parts: an operation cut into message-sized pieces and joined again', () => {
    it('joins back to an operation with the same effect, every piece within the size, no surrogate pair cut (seeded)', () => {
        const random = new SeededRandom(11);
        const alphabet = ['a', 'b', '😀', '\n', 'é', '👍🏽'];
        for (let round = 0; round < 200; round++) {
            const doc = Array.from({ length: random.int(0, 200) }, () => random.pick(alphabet)).join('');
            const op: TextOperation = [];
            let offset = 0;
            while (offset < doc.length) {
                const step = Math.min(doc.length - offset, random.int(1, 40));
                const end = /[\ud800-\udbff]/.test(doc.charAt(offset + step - 1)) ? Math.min(doc.length, offset + step + 1) : offset + step;
                if (random.chance(0.4)) {
                    op.push({ d: doc.slice(offset, end) });
                } else {
                    op.push(end - offset);
                }
                if (random.chance(0.5)) {
                    op.push(Array.from({ length: random.int(1, 60) }, () => random.pick(alphabet)).join(''));
                }
                offset = end;
            }
            const max = random.int(16, 64);
            const parts = splitOp(op, max);
            const joined: TextOperation = [];
            for (const part of parts) {
                assert.ok(part.length > 0);
                assert.ok(wireSize(part) <= max, `piece of ${wireSize(part)} > ${max}`);
                for (const c of part) {
                    if (typeof c === 'string') {
                        assert.ok(!/^[\udc00-\udfff]|[\ud800-\udbff]$/.test(c), 'a piece cuts a surrogate pair');
                    }
                }
                joinOpParts(joined, part);
            }
            assert.equal(applyToString(doc, joined), applyToString(doc, op));
        }
    });
});
