import * as assert from 'assert';
import { DocumentAuthority } from './document-authority';
import { fromSplice } from './splice';
import { StringTextBuffer } from './text-buffer';
import { TextOperation } from './text-operation';

function authority(text: string, options = {}): DocumentAuthority {
    return new DocumentAuthority(new StringTextBuffer(text), options);
}

describe('DocumentAuthority', () => {
    it('applies an operation based on the current revision', () => {
        const a = authority('abc');
        const reply = a.receive({ clientId: 'g1', seq: 1, revision: 0, op: [3, 'd'] });
        assert.strictEqual(reply.type, 'applied');
        assert.strictEqual(a.buffer.getText(), 'abcd');
        assert.strictEqual(a.revision, 1);
    });

    it('transforms an operation based on an older revision past the log', () => {
        const a = authority('abc');
        a.receive({ clientId: 'g1', seq: 1, revision: 0, op: ['X'] });
        const reply = a.receive({ clientId: 'g2', seq: 1, revision: 0, op: [1, { d: 1 }] });
        assert.strictEqual(reply.type, 'applied');
        assert.strictEqual(a.buffer.getText(), 'Xac');
        assert.deepStrictEqual(reply.type === 'applied' && reply.applied.op, [2, { d: 1 }]);
    });

    it('applies a resent operation once', () => {
        const a = authority('');
        const message = { clientId: 'g1', seq: 1, revision: 0, op: ['x'] as TextOperation };
        a.receive(message);
        assert.strictEqual(a.receive(message).type, 'duplicate');
        assert.strictEqual(a.buffer.getText(), 'x');
    });

    it('keeps each client\'s seqs apart while they take turns, and starts over for a client it forgot', () => {
        const a = authority('');
        const send = (clientId: string, seq: number, text: string): string =>
            a.receive({ clientId, seq, revision: a.revision, op: fromSplice(a.buffer.length, a.buffer.length, 0, text) }).type;
        assert.deepStrictEqual([send('g1', 1, 'a'), send('g1', 2, 'b'), send('g2', 1, 'c'), send('g1', 2, 'x'), send('g2', 2, 'd'), send('g2', 1, 'y')],
            ['applied', 'applied', 'applied', 'duplicate', 'applied', 'duplicate']);
        assert.deepStrictEqual([a.lastSeq('g1'), a.lastSeq('g2')], [2, 2]);
        a.forgetClient('g2');
        assert.strictEqual(a.lastSeq('g2'), 0);
        assert.strictEqual(send('g2', 1, 'e'), 'applied', 'a forgotten client (the last sender) starts from seq 1 again');
        assert.strictEqual(send('g1', 3, 'f'), 'applied');
        assert.strictEqual(a.buffer.getText(), 'abcdef');
    });

    it('answers a client behind the trimmed log with a snapshot, not a wrong document', () => {
        const a = authority('', { maxOps: 2 });
        for (let seq = 1; seq <= 5; seq++) {
            a.receive({ clientId: 'g1', seq, revision: seq - 1, op: fromSplice(seq - 1, seq - 1, 0, String(seq)) });
        }
        assert.strictEqual(a.logLength, 2);
        const reply = a.receive({ clientId: 'g2', seq: 1, revision: 1, op: ['z'] });
        assert.strictEqual(reply.type, 'resync');
        if (reply.type === 'resync') {
            assert.deepStrictEqual(reply.catchUp.snapshot, { revision: 5, text: '12345' });
            assert.match(reply.catchUp.reason, /older than the log keeps/);
        }
        assert.strictEqual(a.buffer.getText(), '12345');
        assert.strictEqual(a.catchUp('g2', 1).type, 'snapshot');
        assert.strictEqual(a.catchUp('g2', 3).type, 'ops');
    });

    it('bounds the log by bytes too', () => {
        const a = authority('', { maxBytes: 2000 });
        for (let seq = 1; seq <= 50; seq++) {
            a.receive({ clientId: 'g1', seq, revision: seq - 1, op: fromSplice((seq - 1) * 100, (seq - 1) * 100, 0, 'x'.repeat(100)) });
        }
        assert.ok(a.logByteSize <= 2000, `log holds ${a.logByteSize} bytes`);
        assert.ok(a.logLength >= 1 && a.logLength < 50);
    });

    it('answers a client ahead of it with a snapshot', () => {
        const a = authority('abc');
        const reply = a.receive({ clientId: 'g1', seq: 1, revision: 7, op: ['x'] });
        assert.strictEqual(reply.type, 'resync');
        assert.strictEqual(a.buffer.getText(), 'abc');
    });

    it('never throws on malformed messages and leaves the document alone', () => {
        const a = authority('abc');
        const bad: unknown[] = [
            null, 42, {}, { clientId: 'g', seq: 0, revision: 0, op: [] },
            { clientId: 'g', seq: 1, revision: -1, op: [] },
            { clientId: 'g', seq: 1, revision: 0, op: [{ d: -1 }] },
            { clientId: 'g', seq: 1, revision: 0, op: [10, 'x'] },
            { clientId: 'g', seq: 1, revision: 0, op: 'x' },
            { clientId: 'g', seq: 5, revision: 0, op: ['x'] },
        ];
        for (const message of bad) {
            const reply = a.receive(message as never);
            assert.strictEqual(reply.type, 'resync', JSON.stringify(message));
        }
        assert.strictEqual(a.buffer.getText(), 'abc');
        assert.strictEqual(a.revision, 0);
    });

    it('records the host\'s own edits, applied here or already in the buffer', () => {
        const buffer = new StringTextBuffer('abc');
        const a = new DocumentAuthority(buffer);
        a.applyHostEdit(fromSplice(3, 0, 0, '>'));
        buffer.insert(4, '!');
        const applied = a.applyHostEdit(fromSplice(4, 4, 0, '!'), true);
        assert.deepStrictEqual(applied, { revision: 2, op: [4, '!'], clientId: 'host', seq: 2 });
        assert.strictEqual(a.buffer.getText(), '>abc!');
        const reply = a.receive({ clientId: 'g1', seq: 1, revision: 0, op: [3, '?'] });
        assert.strictEqual(reply.type, 'applied');
        // Concurrent inserts at one offset: the host's, applied first, stays left.
        assert.strictEqual(a.buffer.getText(), '>abc!?');
    });
});
