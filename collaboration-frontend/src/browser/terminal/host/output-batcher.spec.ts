import * as assert from 'node:assert/strict';
import { OutputBatcher } from './output-batcher';
import { fitSerialized } from './fit-serialized';

interface Published {
    readonly data: string;
    readonly reset: boolean;
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
        }
        await new Promise(resolve => setTimeout(resolve, 5));
    }
}

describe('OutputBatcher: terminal output in bounded messages at a bounded rate', () => {
    const batchers: OutputBatcher[] = [];
    afterEach(() => batchers.splice(0).forEach(batcher => batcher.dispose()));

    function batcher(options: ConstructorParameters<typeof OutputBatcher>[1]): { batcher: OutputBatcher; published: Published[] } {
        const published: Published[] = [];
        const created = new OutputBatcher((data, reset) => published.push({ data, reset }), options);
        batchers.push(created);
        return { batcher: created, published };
    }

    it('coalesces output written in one go into one message, sent after a short delay', async () => {
        const { batcher: b, published } = batcher({ flushMs: 10 });
        for (let i = 0; i < 500; i++) {
            b.push(`${i}\r\n`);
        }
        assert.equal(published.length, 0, 'nothing is sent per write');
        await until(() => published.length > 0, 'the batch is sent');
        assert.equal(published.length, 1);
        assert.equal(published[0].data, Array.from({ length: 500 }, (_, i) => `${i}\r\n`).join(''));
    });

    it('splits big output into chunks of at most maxChunkChars, never inside a surrogate pair', () => {
        const { batcher: b, published } = batcher({ maxChunkChars: 5 });
        const text = 'abcd😀efgh😀ij';
        b.push(text);
        b.flushAll();
        assert.ok(published.every(({ data }) => data.length <= 5));
        assert.equal(published.map(({ data }) => data).join(''), text);
        for (const { data } of published) {
            const last = data.charCodeAt(data.length - 1);
            assert.ok(!(last >= 0xd800 && last <= 0xdbff), `a chunk ends in half an emoji: ${JSON.stringify(data)}`);
        }
    });

    it('sends no more than its rate allows at once, and the rest later, in order', async () => {
        const { batcher: b, published } = batcher({ flushMs: 5, charsPerSecond: 1000, maxChunkChars: 400 });
        const text = Array.from({ length: 300 }, (_, i) => String(i % 10)).join('').repeat(10); // 3000 chars
        b.push(text);
        await until(() => published.length >= 3, 'the first messages are sent');
        // The first flush sends exactly its budget of 1000: two full chunks and one cut short by the budget.
        assert.deepEqual(published.slice(0, 3).map(({ data }) => data.length), [400, 400, 200]);
        await until(() => published.map(({ data }) => data).join('').length === text.length, 'the rest is sent');
        assert.equal(published.map(({ data }) => data).join(''), text);
    });

    it('drops output that piles up beyond maxPendingChars and says so with reset, then goes on', async () => {
        const { batcher: b, published } = batcher({ flushMs: 5, maxPendingChars: 100 });
        b.push('x'.repeat(80));
        b.push('y'.repeat(80)); // 160 waiting: dropped
        b.push('after');
        await until(() => published.some(({ data }) => data === 'after'), 'the output after the flood is sent');
        assert.deepEqual(published, [{ data: '', reset: true }, { data: 'after', reset: false }]);
    });

    it('flushAll sends everything waiting at once, whatever the rate', () => {
        const { batcher: b, published } = batcher({ charsPerSecond: 10, maxChunkChars: 100 });
        b.push('z'.repeat(250));
        b.flushAll();
        assert.equal(published.map(({ data }) => data).join(''), 'z'.repeat(250));
    });
});

describe('fitSerialized: the replayed scrollback fits in one message', () => {
    it('halves the scrollback until the text fits, and gives up with nothing when even the screen does not fit', () => {
        const asked: number[] = [];
        const serialize = (lines: number): string => {
            asked.push(lines);
            return 'l'.repeat((lines + 10) * 10);
        };
        assert.equal(fitSerialized(serialize, 2000, 1000).length, (125 + 10) * 10);
        assert.deepEqual(asked, [1000, 500, 250, 125]);
        assert.equal(fitSerialized(serialize, 50, 8), '');
    });
});
