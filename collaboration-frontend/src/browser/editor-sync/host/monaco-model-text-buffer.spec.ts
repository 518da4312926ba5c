import * as assert from 'node:assert/strict';
import { loadMonaco } from '../test/load-monaco';
import type * as Monaco from '@theia/monaco-editor-core';
import { applyToBuffer, applyToString } from '@ensemble/collaboration-common';
import { SeededRandom } from '@ensemble/collaboration-common/lib/ot/testing/seeded-random';
import { changesToOp } from '../model-edits';
import { MonacoModelTextBuffer } from './monaco-model-text-buffer';
import { chunkEnd, SnapshotStore } from './snapshot-store';

describe('MonacoModelTextBuffer over a real Monaco model', () => {
    let monaco: typeof Monaco;
    before(async () => { monaco = await loadMonaco(); });
    afterEach(() => monaco.editor.getModels().forEach(model => model.dispose()));

    it('reads code units, line breaks included, as the model\'s text has them (CRLF)', () => {
        const text = 'ab\r\n😀c\r\n\r\nend';
        const buffer = new MonacoModelTextBuffer(monaco.editor.createModel(text));
        assert.equal(buffer.length, text.length);
        for (let i = 0; i <= text.length; i++) {
            assert.ok(Object.is(buffer.charCodeAt(i), text.charCodeAt(i)), `charCodeAt(${i})`);
            for (let j = i; j <= text.length; j++) {
                assert.equal(buffer.slice(i, j), text.slice(i, j), `slice(${i}, ${j})`);
            }
        }
    });

    it('applies operations to the model as to a string, and marks its own edits', () => {
        const model = monaco.editor.createModel('one\ntwo\nthree\n');
        const buffer = new MonacoModelTextBuffer(model);
        const flags: boolean[] = [];
        model.onDidChangeContent(() => flags.push(buffer.editing));
        const op = [2, { d: 3 }, 'X\nY', 4, '😀'];
        const expected = applyToString(model.getValue(), op);
        applyToBuffer(buffer, op);
        assert.equal(model.getValue(), expected);
        assert.ok(flags.length > 0 && flags.every(Boolean));
        assert.equal(buffer.editing, false);
    });

    it('turns Monaco content-change events into one operation (random multi-cursor edits, seeded)', () => {
        const random = new SeededRandom(11);
        const model = monaco.editor.createModel('0123456789\nabcdefghij\nklmnopqrst\n');
        let before = model.getValue();
        model.onDidChangeContent(event => {
            assert.equal(applyToString(before, changesToOp(event.changes, before.length)), model.getValue());
            before = model.getValue();
        });
        for (let round = 0; round < 200; round++) {
            const length = model.getValueLength();
            const cuts = [...new Set(Array.from({ length: random.int(1, 4) * 2 }, () => random.int(0, length)))].sort((x, y) => x - y);
            const edits: Monaco.editor.IIdentifiedSingleEditOperation[] = [];
            for (let i = 0; i + 1 < cuts.length; i += 2) {
                const start = model.getPositionAt(cuts[i]);
                const end = model.getPositionAt(random.chance(0.5) ? cuts[i] : cuts[i + 1]);
                edits.push({ range: new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column), text: random.pick(['', 'x', 'yy\n', '\n']) });
            }
            model.pushEditOperations([], edits, () => null);
        }
    });
});

describe('SnapshotStore', () => {
    it('hands out a big text in chunks that never split a surrogate pair, then forgets it', () => {
        const store = new SnapshotStore();
        const text = '😀'.repeat(200_000);
        const head = store.start(text, 'peer');
        assert.ok(head.snapshotId);
        let read = head.text;
        while (read.length < head.length) {
            const chunk = store.read(head.snapshotId!, read.length, 'peer');
            assert.ok(chunk.isWellFormed());
            read += chunk;
        }
        assert.equal(read, text);
        assert.equal(store.size, 0);
        assert.throws(() => store.read(head.snapshotId!, 0, 'peer'), /gone/);
        assert.equal(chunkEnd('abc', 0), 3);
    });

    it('serves a snapshot only to the peer it was made for', () => {
        const store = new SnapshotStore();
        const head = store.start('x'.repeat(300_000), 'peer');
        assert.throws(() => store.read(head.snapshotId!, head.text.length, 'other'), /gone/);
    });
});
