import * as assert from 'assert';
import { applyToString, makeInvertible } from './apply';
import { fromSplice } from './splice';
import { TextOperation } from './text-operation';
import { transform } from './transform';
import { UndoManager } from './undo-manager';

/** One user's document with an undo manager, editing beside a remote user. */
class Editor {
    text: string;
    clock = 0;
    readonly undo = new UndoManager({ now: () => this.clock, groupingDelayMs: 100 });

    constructor(text: string) {
        this.text = text;
    }

    local(op: TextOperation): void {
        const applied = makeInvertible(op, this.text);
        this.text = applyToString(this.text, applied);
        this.undo.recordLocal(applied);
    }

    remote(op: TextOperation): void {
        this.text = applyToString(this.text, op);
        this.undo.transformRemote(op);
    }

    undoOnce(): void {
        const op = this.undo.undo();
        assert.ok(op, 'nothing to undo');
        this.text = applyToString(this.text, op);
    }

    redoOnce(): void {
        const op = this.undo.redo();
        assert.ok(op, 'nothing to redo');
        this.text = applyToString(this.text, op);
    }
}

describe('UndoManager', () => {
    it('undoes only the own edit after others typed around it', () => {
        const editor = new Editor('hello world');
        editor.local(fromSplice(11, 5, 0, ' big'));
        editor.clock += 1000;
        editor.remote(fromSplice(15, 0, 0, 'Oh, '));
        editor.remote(fromSplice(19, 19, 0, '!'));
        assert.strictEqual(editor.text, 'Oh, hello big world!');
        editor.undoOnce();
        assert.strictEqual(editor.text, 'Oh, hello world!');
        editor.redoOnce();
        assert.strictEqual(editor.text, 'Oh, hello big world!');
    });

    it('restores deleted text in the right place after remote edits', () => {
        const editor = new Editor('one two three');
        editor.local(fromSplice(13, 4, 4, ''));
        editor.remote(fromSplice(9, 0, 0, '1 '));
        assert.strictEqual(editor.text, '1 one three');
        editor.undoOnce();
        assert.strictEqual(editor.text, '1 one two three');
    });

    it('groups consecutive typing into one step and splits after a pause', () => {
        const editor = new Editor('');
        for (const ch of 'abc') {
            editor.local(fromSplice(editor.text.length, editor.text.length, 0, ch));
            editor.clock += 10;
        }
        editor.clock += 1000;
        editor.local([3, 'd']);
        editor.undoOnce();
        assert.strictEqual(editor.text, 'abc');
        editor.undoOnce();
        assert.strictEqual(editor.text, '');
        assert.strictEqual(editor.undo.canUndo, false);
    });

    it('skips a step that others\' edits emptied', () => {
        const editor = new Editor('abc');
        editor.local([3, 'X']);
        editor.clock += 1000;
        editor.local(['Y']);
        editor.remote([1, { d: 3 }]); // someone deletes 'abc'
        assert.strictEqual(editor.text, 'YX');
        editor.remote([1, { d: 1 }]); // and deletes our 'X'
        assert.strictEqual(editor.text, 'Y');
        editor.undoOnce(); // removes 'Y'
        assert.strictEqual(editor.text, '');
        assert.strictEqual(editor.undo.undo(), undefined, 'the X step is empty now');
    });

    it('a new own edit clears redo', () => {
        const editor = new Editor('');
        editor.local(['a']);
        editor.undoOnce();
        editor.local(['b']);
        assert.strictEqual(editor.undo.redo(), undefined);
    });

    it('two users undoing concurrently converge (transformed like any edit)', () => {
        const a = new Editor('x');
        const b = new Editor('x');
        const opA = makeInvertible([1, 'A'], a.text);
        const opB = makeInvertible(['B'], b.text);
        a.local(opA);
        b.local(opB);
        a.remote(transform(opB, opA, 'left'));
        b.remote(transform(opA, opB, 'right'));
        assert.strictEqual(a.text, b.text);
        const undoA = a.undo.undo()!;
        const undoB = b.undo.undo()!;
        a.text = applyToString(a.text, undoA);
        b.text = applyToString(b.text, undoB);
        a.text = applyToString(a.text, transform(undoB, undoA, 'left'));
        b.text = applyToString(b.text, transform(undoA, undoB, 'right'));
        assert.strictEqual(a.text, 'x');
        assert.strictEqual(b.text, 'x');
    });
});
