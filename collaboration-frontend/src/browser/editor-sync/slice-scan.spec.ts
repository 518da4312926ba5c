import * as assert from 'node:assert/strict';
import { SeededRandom } from '@ensemble/collaboration-common/lib/ot/testing/seeded-random';
import { scanInSlices } from './slice-scan';
import { hashText, TextHasher } from './text-hash';

describe('TextHasher and scanInSlices: whole-text work a slice at a time', () => {
    it('hashes any split of a text, surrogate pairs cut included, exactly as hashText does (seeded)', () => {
        const random = new SeededRandom(7);
        const alphabet = ['a', 'b', '\n', '\r\n', '😀', 'é', ' '];
        for (let round = 0; round < 50; round++) {
            let text = '';
            const count = random.int(0, 400);
            for (let i = 0; i < count; i++) {
                text += alphabet[random.int(0, alphabet.length - 1)];
            }
            const hasher = new TextHasher(text.length);
            let at = 0;
            while (at < text.length) {
                const next = Math.min(text.length, at + random.int(1, 40));
                hasher.update(text.slice(at, next));
                at = next;
            }
            assert.equal(hasher.digest(), hashText(text), JSON.stringify(text));
        }
        assert.notEqual(hashText('ab'), hashText('ba'));
    });

    it('refuses to digest before the whole announced length was fed', () => {
        const hasher = new TextHasher(3);
        hasher.update('ab');
        assert.throws(() => hasher.digest(), RangeError);
    });

    it('visits consecutive slices in separate tasks and stops as soon as the text is no longer the one it started on', async () => {
        const visited: Array<[number, number]> = [];
        const done = await scanInSlices(10, () => true, (start, end) => { visited.push([start, end]); return true; }, 4);
        assert.equal(done, 'done');
        assert.deepEqual(visited, [[0, 4], [4, 8], [8, 10]]);

        // A big text: other work runs between slices, and a change it makes invalidates the scan.
        let changed = false;
        let slices = 0;
        const scan = scanInSlices(1024 * 1024, () => !changed, () => { slices++; return true; }, 64 * 1024);
        await new Promise(resolve => setTimeout(resolve, 0));
        changed = true;
        assert.equal(await scan, 'invalidated');
        assert.ok(slices >= 1 && slices < 16, `${slices} slices before the change was seen`);

        assert.equal(await scanInSlices(10, () => true, () => false, 4), 'stopped');
    });
});
