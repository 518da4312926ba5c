import * as assert from 'node:assert/strict';
import { SeededRandom } from '@ensemble/collaboration-common/lib/ot/testing/seeded-random';
import { SNAPSHOT_CHUNK_CHARS } from '../editor-sync-messages';
import { SnapshotStore } from '../host/snapshot-store';
import { downloadSnapshot, type SnapshotDownloadOptions } from './snapshot-download';

/** Reads from a real host SnapshotStore, answering after random delays (so answers overtake each other), counting what is in flight. */
function storeReader(text: string, random: SeededRandom): { start: ReturnType<SnapshotStore['start']>; store: SnapshotStore; stats: { reads: number; maxInFlight: number } } & Pick<SnapshotDownloadOptions, 'read'> {
    const store = new SnapshotStore();
    const start = store.start(text, 'guest');
    const stats = { reads: 0, maxInFlight: 0 };
    let inFlight = 0;
    const read = async (offset: number): Promise<string> => {
        stats.reads++;
        stats.maxInFlight = Math.max(stats.maxInFlight, ++inFlight);
        try {
            await new Promise(resolve => setTimeout(resolve, random.int(0, 3)));
            return store.read(start.snapshotId!, offset, 'guest');
        } finally {
            inFlight--;
        }
    };
    return { start, store, stats, read };
}

describe('downloadSnapshot: a big snapshot, several chunks in flight, paced', () => {
    it('joins the chunks in order whatever order the answers come in, and leaves nothing on the host', async () => {
        const random = new SeededRandom(11);
        const text = Array.from({ length: 9 * SNAPSHOT_CHUNK_CHARS + 1234 }, () => 'abc\n'[random.int(0, 3)]).join('');
        const reader = storeReader(text, random);
        const progress: number[] = [];
        const result = await downloadSnapshot(reader.start, { read: reader.read, onProgress: done => progress.push(done) });
        assert.equal(result, text);
        assert.equal(reader.store.size, 0, 'the host forgot the snapshot after its last chunk');
        assert.ok(reader.stats.maxInFlight > 1, 'several requests were in flight');
        assert.equal(reader.stats.reads, 9, 'no chunk read twice');
        assert.deepEqual(progress, [...progress].sort((a, b) => a - b));
        assert.equal(progress[progress.length - 1], text.length);
    });

    it('goes on from the right offset when the host cuts chunks short before surrogate pairs', async () => {
        // One code unit, then emoji: every full-chunk boundary falls inside a pair, so every chunk comes one short.
        const text = 'a' + '😀'.repeat(4 * SNAPSHOT_CHUNK_CHARS / 2 + 10);
        const reader = storeReader(text, new SeededRandom(3));
        const result = await downloadSnapshot(reader.start, { read: reader.read });
        assert.equal(result.length, text.length);
        assert.ok(result === text, 'the very same text, no pair split or lost');
        assert.equal(reader.store.size, 0);
    });

    it('keeps the host\'s answers under the server\'s byte rate after the burst', async () => {
        let clock = 0;
        const reads: Array<{ at: number; offset: number }> = [];
        const total = 40 * SNAPSHOT_CHUNK_CHARS; // 5 MiB of ASCII
        const text = 'x'.repeat(total);
        const store = new SnapshotStore(60_000, () => clock);
        const start = store.start(text, 'guest');
        const result = await downloadSnapshot(start, {
            read: async offset => {
                reads.push({ at: clock, offset });
                return store.read(start.snapshotId!, offset, 'guest');
            },
            burstBytes: 1024 * 1024, bytesPerSecond: 2 * 1024 * 1024,
            now: () => clock,
            sleep: async ms => { clock += ms; }
        });
        assert.equal(result, text);
        // 5 MiB with 1 MiB unpaced and 2 MiB/s after: the last request goes out no sooner than ~1.9 s.
        const last = reads[reads.length - 1];
        assert.ok(last.at >= 1_900, `the last chunk was asked for at ${last.at} ms`);
        for (const { at, offset } of reads) {
            const askedBytes = offset + SNAPSHOT_CHUNK_CHARS - start.text.length;
            assert.ok(askedBytes <= 1024 * 1024 + 2 * 1024 * 1024 * at / 1000 + 1, `${askedBytes} bytes asked for by ${at} ms`);
        }
    });

    it('fails with the host\'s error, and on an empty answer, without waiting forever', async () => {
        const text = 'y'.repeat(3 * SNAPSHOT_CHUNK_CHARS);
        const store = new SnapshotStore();
        const start = store.start(text, 'guest');
        await assert.rejects(downloadSnapshot(start, { read: async () => { throw new Error('The snapshot s1 is gone'); } }), /is gone/);
        await assert.rejects(downloadSnapshot(start, { read: async () => '' }), /answered 0 characters/);
    });
});
