import * as assert from 'assert';
import * as fc from 'fast-check';
import { DEFAULT_ROPE_TUNING, RopeTextBuffer, RopeTuning } from './rope-text-buffer';
import { StringTextBuffer } from './text-buffer';

/**
 * Tiny tunings make a few hundred characters span many chunks and levels, so
 * that splits, merges, root growth and collapse all happen in every run.
 */
const smallTunings: RopeTuning[] = [
    { maxChunkLength: 8, maxChildren: 4 },
    { maxChunkLength: 13, maxChildren: 5 },
    { maxChunkLength: 64, maxChildren: 8 },
];
const allTunings = [...smallTunings, DEFAULT_ROPE_TUNING];

/** Whole characters that trip up naive code: CRLF, CJK, emoji (pairs), combining marks. */
const wellFormedUnits = ['a', 'b', 'x', ' ', '\t', '\n', '\r\n', '\r', '中', '文', '😀', '👍🏽', 'e\u0301', 'ﬁ'];
/** The same plus lone surrogates: the buffer works in code units and must not care. */
const anyUnits = [...wellFormedUnits, '\uD83D', '\uDE00'];

// size 'max': by default fast-check keeps arrays to about 10 elements, far too
// few characters to fill many chunks or commands to reach deep states.
const textOf = (units: string[], maxLength: number): fc.Arbitrary<string> =>
    fc.array(fc.constantFrom(...units), { maxLength, size: 'max' }).map(parts => parts.join(''));

type Action = 'type' | 'backspace' | 'delete-forward' | 'paste' | 'delete-range' | 'read';

interface Command {
    /** 0-2: one of three carets that follow their own edits; 3: a fresh offset. */
    caret: number;
    /** Where a fresh offset lands, as a fraction of the length. */
    where: number;
    action: Action;
    /** A small amount, a fraction: how many units to delete, how far to read. */
    amount: number;
    typed: string;
    pasted: string;
}

function commands(units: string[], maxCommands: number): fc.Arbitrary<Command[]> {
    return fc.array(fc.record({
        caret: fc.integer({ min: 0, max: 3 }),
        where: fc.double({ min: 0, max: 1, noNaN: true }),
        action: fc.constantFrom<Action>('type', 'type', 'type', 'backspace', 'backspace', 'delete-forward', 'paste', 'delete-range', 'read'),
        amount: fc.double({ min: 0, max: 1, noNaN: true }),
        typed: textOf(units, 2).filter(text => text.length > 0),
        pasted: textOf(units, 80),
    }), { maxLength: maxCommands, size: 'max' });
}

/**
 * Runs `commands` on a rope and on a plain string buffer, comparing every
 * result, the whole text and the tree's invariants after each step.
 * `wholeCharacters`: move offsets off the middle of surrogate pairs, as the OT
 * core does, and check that no chunk boundary falls inside one.
 */
function replay(initial: string, tuning: RopeTuning, steps: Command[], wholeCharacters: boolean): void {
    const rope = new RopeTextBuffer(initial, tuning);
    const model = new StringTextBuffer(initial);
    const carets = [0, 0, 0].map((_, i) => Math.floor(initial.length * i / 3));
    const snap = (offset: number): number => {
        const clamped = Math.max(0, Math.min(offset, model.length));
        return wholeCharacters && isLow(model.charCodeAt(clamped)) && isHigh(model.charCodeAt(clamped - 1)) ? clamped - 1 : clamped;
    };
    const check = (): void => {
        assert.strictEqual(rope.length, model.length);
        assert.strictEqual(rope.getText(), model.getText());
        const shape = rope.checkInvariants();
        if (wholeCharacters) {
            assert.strictEqual(shape.chunkBoundariesInsidePairs, 0, 'a chunk boundary splits a surrogate pair');
        }
    };
    check();
    for (const step of steps) {
        const caretIndex = step.caret < 3 ? step.caret : 0;
        const at = snap(step.caret < 3 ? carets[caretIndex] : Math.floor(step.where * (model.length + 1)));
        let caret = at;
        const small = 1 + Math.floor(step.amount * 3);
        switch (step.action) {
            case 'type':
            case 'paste': {
                const text = step.action === 'type' ? step.typed : step.pasted;
                rope.insert(at, text);
                model.insert(at, text);
                caret = at + text.length;
                break;
            }
            case 'backspace': {
                const from = snap(at - small);
                rope.delete(from, at - from);
                model.delete(from, at - from);
                caret = from;
                break;
            }
            case 'delete-forward':
            case 'delete-range': {
                const wanted = step.action === 'delete-forward' ? small : Math.floor(step.amount * (model.length - at));
                const count = snap(at + wanted) - at;
                rope.delete(at, Math.max(count, 0));
                model.delete(at, Math.max(count, 0));
                break;
            }
            case 'read': {
                const from = Math.max(0, at - small * 5);
                const to = Math.min(model.length, at + small * 7);
                assert.strictEqual(rope.slice(from, to), model.slice(from, to));
                for (const offset of [at - 1, at, at + 1, from, to]) {
                    // String's charCodeAt is NaN outside the string too.
                    assert.ok(Object.is(rope.charCodeAt(offset), model.getText().charCodeAt(offset)), `charCodeAt(${offset})`);
                }
                break;
            }
        }
        carets[caretIndex] = caret;
        for (let i = 0; i < carets.length; i++) {
            carets[i] = Math.min(carets[i], model.length);
        }
        check();
    }
    // Reads spanning the whole text, after the edits (open and parked chunks included).
    for (let i = 0; i <= 8; i++) {
        const from = Math.floor(model.length * i / 9);
        const to = Math.min(model.length, from + Math.floor(model.length / 3) + 1);
        assert.strictEqual(rope.slice(from, to), model.slice(from, to));
    }
}

function isHigh(code: number): boolean {
    return code >= 0xD800 && code <= 0xDBFF;
}

function isLow(code: number): boolean {
    return code >= 0xDC00 && code <= 0xDFFF;
}

describe('RopeTextBuffer', () => {
    it('agrees with StringTextBuffer on random edits and reads, in any code units', () => {
        fc.assert(fc.property(textOf(anyUnits, 300), fc.constantFrom(...allTunings), commands(anyUnits, 40),
            (initial, tuning, steps) => replay(initial, tuning, steps, false)), { numRuns: 1000 });
    });

    it('never puts a chunk boundary inside a surrogate pair while edits keep pairs whole', () => {
        fc.assert(fc.property(textOf(wellFormedUnits, 300), fc.constantFrom(...allTunings), commands(wellFormedUnits, 40),
            (initial, tuning, steps) => replay(initial, tuning, steps, true)), { numRuns: 600 });
    });

    it('stays balanced through large texts, big pastes and big deletes', () => {
        fc.assert(fc.property(textOf(anyUnits, 4000), fc.constantFrom(...smallTunings), commands(anyUnits, 25),
            (initial, tuning, steps) => replay(initial, tuning, steps, false)), { numRuns: 150 });
    });

    it('deletes every range of a tree of many chunks, keeping the bounds', () => {
        // Exhaustive, because some cases (a range from inside one chunk to
        // exactly the end of another) are rare among random ranges.
        const text = 'abcdefghij😀中\r\n'.repeat(10);
        for (const tuning of smallTunings.slice(0, 2)) {
            for (let from = 0; from <= text.length; from++) {
                for (let to = from; to <= text.length; to++) {
                    const rope = new RopeTextBuffer(text, tuning);
                    rope.delete(from, to - from);
                    assert.strictEqual(rope.getText(), text.slice(0, from) + text.slice(to), `delete [${from}, ${to})`);
                    rope.checkInvariants();
                }
            }
        }
    });

    it('inserts short and long texts at every offset of a tree of many chunks', () => {
        const text = 'abcdefghij😀中\r\n'.repeat(10);
        for (const tuning of smallTunings) {
            for (const inserted of ['é', '😀', 'x'.repeat(7), '中文'.repeat(40)]) {
                for (let at = 0; at <= text.length; at++) {
                    const rope = new RopeTextBuffer(text, tuning);
                    rope.insert(at, inserted);
                    assert.strictEqual(rope.getText(), text.slice(0, at) + inserted + text.slice(at), `insert at ${at}`);
                    rope.checkInvariants();
                }
            }
        }
    });

    it('keeps a large text and a paste as slices of their strings, copying only the chunks edited inside', () => {
        const line = 'fn main() { println!("héllo, 世界 😀"); }\r\n';
        const text = line.repeat(2000);
        const rope = new RopeTextBuffer(text);
        const built = rope.checkInvariants();
        assert.strictEqual(built.stringChunks, built.chunkCount, 'every chunk of the initial text holds a slice');
        const middle = text.length >> 1;
        rope.insert(middle, 'x');
        assert.strictEqual(rope.checkInvariants().stringChunks, built.chunkCount - 1, 'typing copies its chunk only');
        // A long delete cuts the tail of one chunk and the head of another, both
        // slices still; a remnant too short to stand alone merges with a neighbour.
        rope.delete(1000, 20_000);
        const cut = rope.checkInvariants();
        assert.ok(cut.stringChunks >= cut.chunkCount - 2, `${cut.stringChunks} of ${cut.chunkCount} chunks hold slices after the delete`);
        const pasted = line.repeat(300);
        rope.insert(5000, pasted);
        const afterPaste = rope.checkInvariants();
        assert.ok(afterPaste.stringChunks >= cut.stringChunks + Math.floor(pasted.length / DEFAULT_ROPE_TUNING.maxChunkLength),
            `${afterPaste.stringChunks} of ${afterPaste.chunkCount} chunks hold slices after the paste`);
        let expected = text.slice(0, middle) + 'x' + text.slice(middle);
        expected = expected.slice(0, 1000) + expected.slice(21_000);
        expected = expected.slice(0, 5000) + pasted + expected.slice(5000);
        assert.strictEqual(rope.getText(), expected);
        for (const [from, to] of [[0, 3000], [4990, 5010], [4000, 30_000], [expected.length - 2000, expected.length]]) {
            assert.strictEqual(rope.slice(from, to), expected.slice(from, to));
        }
    });

    it('copies long texts into chunks exactly, ASCII or not, and notices a surrogate in them', () => {
        const ascii = (length: number, seed: number): string => Array.from({ length }, (_, i) => String.fromCharCode(32 + ((i * 7 + seed) % 95))).join('');
        const rope = new RopeTextBuffer(ascii(3000, 1));
        let expected = ascii(3000, 1);
        const insert = (at: number, text: string): void => {
            rope.insert(at, text);
            expected = expected.slice(0, at) + text + expected.slice(at);
            assert.strictEqual(rope.getText(), expected);
            rope.checkInvariants();
        };
        insert(1500, 'x'); // copies an ASCII chunk into code units
        insert(1700, ascii(300, 2));
        insert(100, ascii(299, 3) + 'é'); // not ASCII: the last unit is read one by one
        assert.strictEqual(rope.mayContainSurrogates, false);
        insert(2200, ascii(200, 4) + '\ud83d');
        assert.strictEqual(rope.mayContainSurrogates, true, 'a lone surrogate at the end of a long text is noticed');
        for (const [from, to] of [[0, 700], [1400, 2100], [2100, expected.length]]) {
            assert.strictEqual(rope.slice(from, to), expected.slice(from, to));
        }
    });

    it('reads long and short runs of an edited chunk exactly: lone surrogates, U+FFFD and a leading byte order mark kept', () => {
        const wellFormed = ['\ufeff', 'a', '😀', '中', 'é', '\n', 'x'];
        const run = (pieces: string[], length: number): string => Array.from({ length }, (_, i) => pieces[(i * 3) % pieces.length]).join('');
        // Well-formed runs (read by the decoder) around lone surrogates and a
        // U+FFFD (read unit by unit), so that both ways of reading are taken.
        const text = run(wellFormed, 600) + run([...wellFormed, '\ud83d', '\ude00'], 200) + 'a\ufffdb' + run(wellFormed, 600);
        const rope = new RopeTextBuffer(text);
        // Typing at the start and end of each chunk turns it from a slice into code units.
        rope.insert(0, '\ufeff');
        rope.insert(rope.length, '\ud83d');
        const expected = '\ufeff' + text + '\ud83d';
        assert.strictEqual(rope.checkInvariants().stringChunks, 0);
        const starts = Array.from({ length: expected.length }, (_, i) => i).filter(i => i % 97 === 0 || expected[i] === '\ufeff' || expected[i] === '\ufffd');
        for (const from of starts) {
            for (const count of [1, 2, 15, 63, 64, 65, 300, 1500]) {
                const to = Math.min(expected.length, from + count);
                assert.strictEqual(rope.slice(from, to), expected.slice(from, to), `slice(${from}, ${to})`);
            }
        }
        assert.strictEqual(rope.getText(), expected);
    });

    it('builds a shallow tree of well-filled chunks from a large text', () => {
        const line = 'fn main() { println!("héllo, 世界 😀"); }\r\n';
        const text = line.repeat(Math.ceil(1_000_000 / line.length));
        const rope = new RopeTextBuffer(text);
        const shape = rope.checkInvariants();
        assert.strictEqual(rope.getText(), text);
        // 1536-unit chunks, 32 to a node: 655 chunks need two levels.
        assert.strictEqual(shape.height, 2);
        assert.ok(shape.chunkCount <= Math.ceil(text.length / 1024), `${shape.chunkCount} chunks`);
        assert.strictEqual(shape.chunkBoundariesInsidePairs, 0);
        for (const [from, to] of [[0, 1], [1535, 1537], [12_345, 98_765], [text.length - 3, text.length]]) {
            assert.strictEqual(rope.slice(from, to), text.slice(from, to));
        }
    });

    it('keeps depth logarithmic when a long text is typed one key at a time', () => {
        const rope = new RopeTextBuffer('', { maxChunkLength: 8, maxChildren: 4 });
        let expected = '';
        for (let i = 0; i < 5000; i++) {
            const key = String.fromCharCode(97 + i % 26);
            rope.insert(i, key);
            expected += key;
        }
        const shape = rope.checkInvariants();
        assert.strictEqual(rope.getText(), expected);
        // Chunks hold at least 2 units and nodes at least 2 children: at most
        // log2(5000 / 2) + 1 levels, far fewer in practice.
        assert.ok(shape.height <= 12, `height ${shape.height}`);
    });

    it('empties completely and grows again from nothing', () => {
        for (const tuning of allTunings) {
            const text = 'ab😀\r\n中'.repeat(500);
            const rope = new RopeTextBuffer(text, tuning);
            rope.delete(0, rope.length);
            assert.strictEqual(rope.length, 0);
            assert.strictEqual(rope.getText(), '');
            assert.deepStrictEqual(rope.checkInvariants(), { height: 1, chunkCount: 0, chunkBoundariesInsidePairs: 0, stringChunks: 0 });
            assert.ok(Number.isNaN(rope.charCodeAt(0)));
            rope.insert(0, 'x');
            rope.insert(0, text);
            rope.delete(rope.length - 1, 1);
            assert.strictEqual(rope.getText(), text);
            rope.checkInvariants();
            // Emptied by single deletions too, the last from an open chunk.
            const small = new RopeTextBuffer('abc', tuning);
            small.delete(1, 1);
            small.delete(0, 1);
            small.delete(0, 1);
            assert.strictEqual(small.getText(), '');
            small.insert(0, 'é');
            assert.strictEqual(small.getText(), 'é');
            small.checkInvariants();
        }
    });

    it('reads and edits correctly while two carets take turns in different chunks', () => {
        const text = 'x'.repeat(10_000);
        const rope = new RopeTextBuffer(text);
        const model = new StringTextBuffer(text);
        let first = 100;
        let second = 8_000;
        for (let i = 0; i < 300; i++) {
            for (const buffer of [rope, model]) {
                buffer.insert(first, 'a');
                buffer.insert(second + 1, 'b');
            }
            first++;
            second += 2;
            if (i % 7 === 0) {
                rope.delete(first - 1, 1);
                model.delete(first - 1, 1);
                first--;
                second--;
            }
            assert.strictEqual(rope.charCodeAt(first - 1), model.getText().charCodeAt(first - 1));
            assert.strictEqual(rope.charCodeAt(second), model.getText().charCodeAt(second));
            assert.strictEqual(rope.slice(first - 5, second + 5), model.slice(first - 5, second + 5));
        }
        rope.checkInvariants();
        assert.strictEqual(rope.getText(), model.getText());
    });

    it('stays correct through many edits scattered inside one chunk', () => {
        // Every cursor move inside the open chunk adds pieces; past a limit they
        // are joined back into the tree. Hundreds of moves in one chunk get there.
        const text = 'The quick brown fox jumps over the lazy dog. 😀\r\n'.repeat(25);
        const rope = new RopeTextBuffer(text);
        const model = new StringTextBuffer(text);
        let seed = 1;
        const random = (below: number): number => {
            seed = (seed * 1103515245 + 12345) % 2147483648;
            return seed % below;
        };
        for (let i = 0; i < 1500; i++) {
            const at = random(model.length + 1);
            if (i % 3 === 2 && at < model.length) {
                rope.delete(at, 1);
                model.delete(at, 1);
            } else {
                const key = 'k中'.charAt(i % 2);
                rope.insert(at, key);
                model.insert(at, key);
            }
            assert.strictEqual(rope.charCodeAt(at), model.getText().charCodeAt(at));
            if (i % 50 === 0) {
                assert.strictEqual(rope.getText(), model.getText());
                rope.checkInvariants();
            }
        }
        assert.strictEqual(rope.getText(), model.getText());
        rope.checkInvariants();
    });

    it('shares two chunks rather than merging them when one would overflow', () => {
        // With 8-unit chunks the 12 units are built as two chunks of 6. The insert
        // fills the first to 8; the delete leaves 1 in the second, too short, and
        // 8 + 1 units do not fit one chunk: they must be shared out.
        const tuning = { maxChunkLength: 8, maxChildren: 4 };
        const rope = new RopeTextBuffer('abcdefghijkl', tuning);
        rope.insert(0, 'XY');
        rope.delete(8, 5);
        assert.strictEqual(rope.getText(), 'XYabcdefl');
        assert.strictEqual(rope.checkInvariants().chunkCount, 2);
    });

    it('answers NaN from charCodeAt outside [0, length) and at non-integer offsets', () => {
        const rope = new RopeTextBuffer('a😀');
        assert.strictEqual(rope.charCodeAt(0), 97);
        assert.strictEqual(rope.charCodeAt(1), 0xD83D);
        assert.strictEqual(rope.charCodeAt(2), 0xDE00);
        for (const offset of [-1, 3, 4, 0.5, NaN, Infinity, -Infinity]) {
            assert.ok(Number.isNaN(rope.charCodeAt(offset)), `charCodeAt(${offset})`);
        }
    });

    it('rejects invalid offsets and counts with a RangeError, changing nothing', () => {
        const invalid = [-1, 0.5, NaN, Infinity, -Infinity, 1e10];
        for (const tuning of allTunings) {
            const text = 'héllo 😀 world\r\n'.repeat(40);
            const rope = new RopeTextBuffer(text, tuning);
            rope.insert(5, 'typed');
            rope.delete(3, 1);
            const before = rope.getText();
            const attempts: Array<() => void> = [];
            for (const bad of invalid) {
                attempts.push(() => rope.insert(bad, 'x'));
                attempts.push(() => rope.delete(bad, 1));
                attempts.push(() => rope.delete(0, bad));
                attempts.push(() => rope.slice(bad, 1));
                attempts.push(() => rope.slice(0, bad));
            }
            attempts.push(() => rope.insert(before.length + 1, 'x'));
            attempts.push(() => rope.delete(before.length, 1));
            attempts.push(() => rope.delete(before.length - 2, 3));
            attempts.push(() => rope.slice(2, 1));
            attempts.push(() => rope.slice(0, before.length + 1));
            for (const attempt of attempts) {
                assert.throws(attempt, RangeError);
                assert.strictEqual(rope.getText(), before);
                rope.checkInvariants();
            }
            assert.throws(() => rope.insert(0, 42 as unknown as string), TypeError);
            assert.strictEqual(rope.getText(), before);
        }
    });

    it('accepts the boundary offsets and empty edits', () => {
        const rope = new RopeTextBuffer('abc', { maxChunkLength: 8, maxChildren: 4 });
        rope.insert(3, 'd');
        rope.insert(0, '');
        rope.delete(4, 0);
        assert.strictEqual(rope.slice(4, 4), '');
        assert.strictEqual(rope.slice(0, 4), 'abcd');
        assert.strictEqual(rope.getText(), 'abcd');
        rope.checkInvariants();
    });

    it('rejects tunings that cannot keep its bounds', () => {
        assert.throws(() => new RopeTextBuffer('', { maxChunkLength: 4, maxChildren: 32 }), RangeError);
        assert.throws(() => new RopeTextBuffer('', { maxChunkLength: 2048, maxChildren: 3 }), RangeError);
        assert.throws(() => new RopeTextBuffer('', { maxChunkLength: 100.5, maxChildren: 8 }), RangeError);
        assert.throws(() => new RopeTextBuffer(7 as unknown as string), TypeError);
    });
});
