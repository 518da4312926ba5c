import * as assert from 'node:assert/strict';
import { loadMonaco } from '../editor-sync/test/load-monaco';
import type * as Monaco from '@theia/monaco-editor-core';
import { applyToString, type TextOperation } from '@ensemble/collaboration-common';
import { SeededRandom } from '@ensemble/collaboration-common/lib/ot/testing/seeded-random';
import { changesToOp } from '../editor-sync/model-edits';
import { colorClassSuffix, CursorStyles } from './cursor-styles';
import { RecentOps, RemoteSelections } from './remote-selections';
import { Throttle, type Timers } from './throttle';

/** Wires a store to a real model the way CursorSession does: every content change moves the stored selections. */
function bind(model: Monaco.editor.ITextModel, store: RemoteSelections, doc: string): void {
    model.onDidChangeContent(event => {
        const delta = event.changes.reduce((sum, change) => sum + change.text.length - change.rangeLength, 0);
        store.applyOp(doc, changesToOp(event.changes, model.getValueLength() - delta));
    });
}

describe('remote selections over a real Monaco model', () => {
    let monaco: typeof Monaco;
    before(async () => { monaco = await loadMonaco(); });
    afterEach(() => monaco.editor.getModels().forEach(model => model.dispose()));

    const DOC = 'editor/abc';
    const noOps = (): undefined => undefined;

    function edit(model: Monaco.editor.ITextModel, offset: number, deleteLength: number, text: string): void {
        const start = model.getPositionAt(offset);
        const end = model.getPositionAt(offset + deleteLength);
        model.applyEdits([{ range: new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column), text }]);
    }

    it('keeps a remote caret and selection on the same text while the local model is edited around them', () => {
        const model = monaco.editor.createModel('alpha\nbeta target gamma\n');
        const store = new RemoteSelections(noOps);
        bind(model, store, DOC);
        const at = model.getValue().indexOf('target');
        assert.equal(store.receive('ana', DOC, 0, [{ anchor: at, head: at + 'target'.length }, { anchor: 2, head: 2 }], { revision: 0, length: model.getValueLength() }), 'placed');
        edit(model, 0, 0, 'new first line\n');            // before both
        edit(model, model.getValue().indexOf('beta'), 4, 'B'); // before the selection, after the caret
        edit(model, model.getValue().length, 0, 'tail\n');     // after both
        const [selection, caret] = store.get(DOC)[0].selections;
        assert.equal(model.getValue().slice(selection.anchor, selection.head), 'target');
        assert.equal(model.getValue().slice(caret.head, caret.head + 3), 'pha');
    });

    it('leaves a remote caret before text inserted exactly at it (the insert is not the remote peer\'s)', () => {
        const model = monaco.editor.createModel('abcdef');
        const store = new RemoteSelections(noOps);
        bind(model, store, DOC);
        store.receive('ana', DOC, 0, [{ anchor: 3, head: 3 }], { revision: 0, length: model.getValueLength() });
        edit(model, 3, 0, 'XYZ');
        assert.deepEqual(store.get(DOC)[0].selections, [{ anchor: 3, head: 3 }]);
        edit(model, 1, 4, ''); // deletes around the caret: it lands where the deletion was
        assert.deepEqual(store.get(DOC)[0].selections, [{ anchor: 1, head: 1 }]);
    });

    it('never drifts under random edits (seeded): the caret stays in front of its marker character', () => {
        const random = new SeededRandom(4242);
        const model = monaco.editor.createModel('the quick brown fox\njumps over\nthe lazy dog\n');
        const store = new RemoteSelections(noOps);
        bind(model, store, DOC);
        const marker = '§';
        edit(model, 10, 0, marker);
        store.receive('ben', DOC, 0, [{ anchor: 10, head: 10 }], { revision: 0, length: model.getValueLength() });
        for (let i = 0; i < 500; i++) {
            const text = model.getValue();
            const markerAt = text.indexOf(marker);
            let offset = random.int(0, text.length);
            let length = random.int(0, Math.min(5, text.length - offset));
            if (offset <= markerAt && markerAt < offset + length) {
                length = markerAt - offset; // never delete the marker itself
            }
            if (random.next() < 0.5) {
                offset = Math.min(offset, text.length);
            }
            edit(model, offset, length, random.next() < 0.3 ? '' : ['x', 'yz\n', '😀', '\n\n'][random.int(0, 3)]);
            const [{ head }] = store.get(DOC)[0].selections;
            const now = model.getValue();
            // Only an insert exactly at the caret may come between the caret and the marker, never text after it.
            assert.ok(head <= now.indexOf(marker), `step ${i}: caret ${head} past the marker at ${now.indexOf(marker)}`);
            assert.ok(!now.slice(head, now.indexOf(marker)).includes(marker));
        }
    });
});

describe('selections sent at an older revision', () => {
    const DOC = 'editor/abc';

    it('are moved over the operations applied since that revision', () => {
        const ops = new RecentOps();
        // revision 1: insert "12345" at 0; revision 2: delete 2 at 0.
        const op1: TextOperation = ['12345', 10];
        const op2: TextOperation = [{ d: 2 }, 13];
        ops.record(DOC, 1, op1);
        ops.record(DOC, 2, op2);
        const store = new RemoteSelections((doc, revision, current) => ops.since(doc, revision, current));
        assert.equal(store.receive('ana', DOC, 0, [{ anchor: 4, head: 6 }], { revision: 2, length: 13 }), 'placed');
        assert.equal(applyToString(applyToString('0123456789', op1), op2), '3450123456789');
        assert.deepEqual(store.get(DOC)[0].selections, [{ anchor: 7, head: 9 }]);
    });

    it('are dropped when the operations since are not all known', () => {
        const ops = new RecentOps();
        ops.record(DOC, 2, ['x', 3]);
        const store = new RemoteSelections((doc, revision, current) => ops.since(doc, revision, current));
        assert.equal(store.receive('ana', DOC, 0, [{ anchor: 1, head: 1 }], { revision: 2, length: 4 }), 'dropped');
        assert.deepEqual(store.get(DOC), []);
    });

    it('wait while the sender is ahead, and are placed once the receiver has the operations in between', () => {
        const ops = new RecentOps();
        const store = new RemoteSelections((doc, revision, current) => ops.since(doc, revision, current));
        // The receiver is at revision 2 with "abcd"; the sender is at 3, after "XY" was inserted at 0, and selects "cd".
        assert.equal(store.receive('ana', DOC, 3, [{ anchor: 4, head: 6 }], { revision: 2, length: 4 }), 'waiting');
        assert.deepEqual(store.get(DOC), []);
        assert.deepEqual(store.placeWaiting(DOC, { revision: 2, length: 4 }), [], 'still behind');
        ops.record(DOC, 3, ['XY', 4]);
        assert.deepEqual(store.placeWaiting(DOC, { revision: 3, length: 6 }), ['ana']);
        assert.deepEqual(store.get(DOC)[0].selections, [{ anchor: 4, head: 6 }]);
        assert.deepEqual(store.placeWaiting(DOC, { revision: 3, length: 6 }), [], 'placed once');
    });

    it('are moved over the receiver\'s own pending edits (its text is the revision\'s plus those)', () => {
        const store = new RemoteSelections(() => []);
        // At revision 4 the text is "hello world"; the receiver deleted "he" and typed "XY" after "ll", unacknowledged.
        const pending: TextOperation = [{ d: 2 }, 2, 'XY', 7];
        assert.equal(applyToString('hello world', pending), 'llXYo world');
        const world = 'hello '.length;
        assert.equal(store.receive('ana', DOC, 4, [{ anchor: world, head: world + 5 }, { anchor: 1, head: 1 }], { revision: 4, pending, length: 11 }), 'placed');
        const [selection, caret] = store.get(DOC)[0].selections;
        assert.equal('llXYo world'.slice(selection.anchor, selection.head), 'world');
        assert.deepEqual(caret, { anchor: 0, head: 0 }, 'a caret in deleted text lands where the deletion was');
    });

    it('keeps only the newest operations and ignores a replayed revision', () => {
        const ops = new RecentOps(3);
        for (let revision = 1; revision <= 5; revision++) {
            ops.record(DOC, revision, [`${revision}`]);
        }
        ops.record(DOC, 4, ['replayed']);
        assert.deepEqual(ops.since(DOC, 2, 5), [['3'], ['4'], ['5']]);
        assert.equal(ops.since(DOC, 1, 5), undefined);
        assert.deepEqual(ops.since(DOC, 5, 5), []);
    });
});

describe('remote selection lifetime', () => {
    it('removes a peer\'s selections when it sends none (closed or left the document) or leaves', () => {
        let now = 1000;
        const store = new RemoteSelections(() => undefined, () => now);
        store.receive('ana', 'editor/a', 0, [{ anchor: 1, head: 1 }], { revision: 0, length: 10 });
        now = 1500;
        store.receive('ana', 'editor/b', 0, [{ anchor: 2, head: 2 }], { revision: 0, length: 10 });
        store.receive('ben', 'editor/a', 0, [{ anchor: 3, head: 3 }], { revision: 0, length: 10 });
        assert.equal(store.get('editor/a').find(entry => entry.peerId === 'ana')?.movedAt, 1000);
        assert.deepEqual(store.docsOf('ana').sort(), ['editor/a', 'editor/b']);
        store.receive('ana', 'editor/a', 0, [], { revision: 0, length: 10 });
        assert.deepEqual(store.get('editor/a').map(entry => entry.peerId), ['ben']);
        store.remove('ana'); // left, or its status expired
        assert.deepEqual(store.docsOf('ana'), []);
        assert.deepEqual(store.get('editor/b'), []);
    });
});

describe('selection broadcast throttle', () => {
    class FakeTimers implements Timers {
        time = 0;
        private pending: Array<{ at: number; callback: () => void }> = [];
        now(): number { return this.time; }
        setTimeout(callback: () => void, ms: number): unknown {
            const entry = { at: this.time + ms, callback };
            this.pending.push(entry);
            return entry;
        }
        clearTimeout(handle: unknown): void { this.pending = this.pending.filter(entry => entry !== handle); }
        advance(ms: number): void {
            const end = this.time + ms;
            for (;;) {
                const next = this.pending.filter(entry => entry.at <= end).sort((a, b) => a.at - b.at)[0];
                if (!next) {
                    break;
                }
                this.pending = this.pending.filter(entry => entry !== next);
                this.time = next.at;
                next.callback();
            }
            this.time = end;
        }
    }

    it('sends the first change at once, collapses a burst into one trailing send, at most 20 per second', () => {
        const timers = new FakeTimers();
        const sent: number[] = [];
        const throttle = new Throttle(() => sent.push(timers.now()), 50, timers);
        throttle.schedule();
        assert.deepEqual(sent, [0]);
        for (let t = 0; t < 1000; t += 5) { // a change every 5 ms for a second
            throttle.schedule();
            timers.advance(5);
        }
        timers.advance(100);
        assert.ok(sent.length <= 21 && sent.length >= 19, `sent ${sent.length} times`);
        for (let i = 1; i < sent.length; i++) {
            assert.ok(sent[i] - sent[i - 1] >= 50, `gap ${sent[i] - sent[i - 1]} ms`);
        }
        const count = sent.length;
        throttle.schedule();
        throttle.dispose(); // a pending trailing send is dropped with the session
        timers.advance(100);
        assert.ok(sent.length <= count + 1);
    });
});

describe('cursor colours in CSS', () => {
    it('accepts only #rgb and #rrggbb, so nothing else from a peer reaches a style element', async () => {
        await loadMonaco(); // sets up jsdom
        assert.equal(colorClassSuffix('#E6194B'), 'e6194b');
        assert.equal(colorClassSuffix('#abc'), 'aabbcc');
        for (const bad of ['red', '#12345', '#e6194b; } body { display:none', 'url(x)', '#ggg']) {
            assert.equal(colorClassSuffix(bad), undefined, bad);
        }
        const styles = new CursorStyles(document);
        assert.equal(styles.ensure('#e6194b'), 'e6194b');
        assert.equal(styles.ensure('#e6194b'), 'e6194b');
        assert.equal(styles.ensure('} * { color: red'), undefined);
        const css = document.getElementById('ensemble-remote-cursors')?.textContent ?? '';
        assert.equal(css.split('.ensemble-caret-e6194b').length - 1, 1);
        assert.ok(!css.includes('color: red'));
        styles.dispose();
        assert.equal(document.getElementById('ensemble-remote-cursors'), null);
    });
});
