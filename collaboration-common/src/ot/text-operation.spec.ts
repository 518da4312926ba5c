import * as assert from 'assert';
import * as fc from 'fast-check';
import { applyToBuffer, applyToString, makeInvertible } from './apply';
import { compose } from './compose';
import { invert } from './invert';
import { diff, fromSplice } from './splice';
import { StringTextBuffer } from './text-buffer';
import { checkOp, InvalidOperationError, isInvertible, lengthChange, normalize, TextOperation } from './text-operation';
import { textType } from './text-type';
import { transform, transformComponents, transformPosition, transformSelection } from './transform';
import { docAndOp, docAndTwoOps, opFromSteps, opSteps, trickyText } from './testing/arbitraries';
import { isWellFormedText } from './surrogates';

const runs = { numRuns: 2000 };

/** Offsets between characters, where a caret may stand. */
function codePointBoundaries(doc: string): number[] {
    const offsets = [0];
    let offset = 0;
    for (const ch of doc) {
        offset += ch.length;
        offsets.push(offset);
    }
    return offsets;
}

function withoutDeletedText(op: TextOperation): TextOperation {
    return op.map(c => typeof c === 'object' ? { d: typeof c.d === 'string' ? c.d.length : c.d } : c);
}

describe('text operations (laws, property tests)', () => {
    it('apply keeps the length arithmetic', () => {
        fc.assert(fc.property(docAndOp, ({ doc, op }) => {
            assert.strictEqual(applyToString(doc, op).length, doc.length + lengthChange(op));
        }), runs);
    });

    it('TP1: a then transform(b, a) equals b then transform(a, b)', () => {
        fc.assert(fc.property(docAndTwoOps, ({ doc, a, b }) => {
            const viaA = applyToString(applyToString(doc, a), transform(b, a, 'right'));
            const viaB = applyToString(applyToString(doc, b), transform(a, b, 'left'));
            assert.strictEqual(viaA, viaB);
        }), runs);
    });

    it('TP1 holds for invertible operations, whose deleted texts stay exact', () => {
        fc.assert(fc.property(trickyText, opSteps, opSteps, (doc, stepsA, stepsB) => {
            const a = opFromSteps(doc, stepsA, true);
            const b = opFromSteps(doc, stepsB, true);
            const bAfterA = transform(b, a, 'right');
            const aAfterB = transform(a, b, 'left');
            assert.ok(isInvertible(bAfterA) && isInvertible(aAfterB));
            // applyToString checks each {d: text} against the document.
            assert.strictEqual(applyToString(applyToString(doc, a), bAfterA), applyToString(applyToString(doc, b), aAfterB));
        }), runs);
    });

    it('the splice shortcut of transform gives exactly the general result', () => {
        const splice = (doc: string, seed: [number, number, boolean, string]): TextOperation => {
            const boundaries = codePointBoundaries(doc);
            const start = boundaries[seed[0] % boundaries.length];
            const after = boundaries.filter(b => b >= start);
            const end = after[seed[1] % after.length];
            return fromSplice(doc.length, start, seed[2] ? doc.slice(start, end) : end - start, seed[3]);
        };
        const spliceSeed = fc.tuple(fc.nat(), fc.nat(), fc.boolean(), fc.constantFrom('', 'x', 'yz', '😀', '\r\n'));
        fc.assert(fc.property(trickyText, spliceSeed, spliceSeed, fc.constantFrom<'left' | 'right'>('left', 'right'), (doc, sa, sb, side) => {
            const a = splice(doc, sa);
            const b = splice(doc, sb);
            assert.deepStrictEqual(transform(a, b, side), transformComponents(a, b, side));
        }), { numRuns: 20000 });
    });

    it('compose equals applying in sequence', () => {
        fc.assert(fc.property(trickyText, opSteps, opSteps, (doc, stepsA, stepsB) => {
            const a = opFromSteps(doc, stepsA);
            const afterA = applyToString(doc, a);
            const b = opFromSteps(afterA, stepsB);
            assert.strictEqual(applyToString(doc, compose(a, b)), applyToString(afterA, b));
        }), runs);
    });

    it('compose is associative in effect', () => {
        fc.assert(fc.property(trickyText, opSteps, opSteps, opSteps, (doc, sa, sb, sc) => {
            const a = opFromSteps(doc, sa);
            const d1 = applyToString(doc, a);
            const b = opFromSteps(d1, sb);
            const c = opFromSteps(applyToString(d1, b), sc);
            const left = compose(compose(a, b), c);
            const right = compose(a, compose(b, c));
            assert.strictEqual(applyToString(doc, left), applyToString(doc, right));
            // The same operation, but for which deletes carry their text.
            assert.deepStrictEqual(withoutDeletedText(left), withoutDeletedText(right));
        }), runs);
    });

    it('invert round-trips', () => {
        fc.assert(fc.property(docAndOp, ({ doc, op }) => {
            const invertible = makeInvertible(op, doc);
            const after = applyToString(doc, invertible);
            assert.strictEqual(applyToString(after, invert(invertible)), doc);
            assert.deepStrictEqual(invert(invert(invertible)), normalize(invertible));
        }), runs);
    });

    it('normalize is idempotent and keeps the effect', () => {
        fc.assert(fc.property(docAndOp, ({ doc, op }) => {
            const once = normalize(op);
            assert.deepStrictEqual(normalize(once), once);
            assert.strictEqual(applyToString(doc, once), applyToString(doc, op));
        }), runs);
    });

    it('a cursor lands where a marker inserted there ends up when transformed (remote and own)', () => {
        fc.assert(fc.property(docAndOp, fc.nat(), fc.boolean(), ({ doc, op }, seed, own) => {
            const boundaries = codePointBoundaries(doc);
            const position = boundaries[seed % boundaries.length];
            const after = applyToString(doc, op);
            const moved = transformPosition(position, op, own);
            assert.ok(moved >= 0 && moved <= after.length, `${moved} outside [0, ${after.length}]`);
            const marker = '\u0000';
            const marked = applyToString(doc.slice(0, position) + marker + doc.slice(position), transform(op, fromSplice(doc.length, position, 0, marker), own ? 'left' : 'right'));
            assert.strictEqual(marked.indexOf(marker), moved);
        }), runs);
    });

    it('transformSelection maps both ends of a range', () => {
        const op = fromSplice(10, 2, 3, 'abcd');
        assert.deepStrictEqual(transformSelection([1, 8] as const, op), [1, 9]);
        assert.strictEqual(transformSelection(6, op), 7);
    });

    it('a remote insert at the cursor leaves it before; the own insert moves it after', () => {
        const op = fromSplice(5, 2, 0, 'xy');
        assert.strictEqual(transformPosition(2, op, false), 2);
        assert.strictEqual(transformPosition(2, op, true), 4);
    });

    it('concurrent inserts at one offset are ordered by side', () => {
        const a = fromSplice(3, 1, 0, 'A');
        const b = fromSplice(3, 1, 0, 'B');
        assert.strictEqual(applyToString(applyToString('123', a), transform(b, a, 'right')), '1AB23');
        assert.strictEqual(applyToString(applyToString('123', b), transform(a, b, 'left')), '1AB23');
    });

    it('diff turns one text into the other without splitting surrogate pairs', () => {
        fc.assert(fc.property(trickyText, trickyText, (from, to) => {
            const op = diff(from, to);
            checkOp(op);
            assert.strictEqual(applyToString(from, op), to);
        }), runs);
        assert.deepStrictEqual(diff('a😀b', 'a😁b'), [1, { d: '😀' }, '😁']);
    });

    it('fromSplice builds the editor change it describes', () => {
        fc.assert(fc.property(trickyText, fc.nat(), fc.nat(), trickyText, (doc, p, n, text) => {
            const points = Array.from(doc);
            const start = p % (points.length + 1);
            const end = start + n % (points.length - start + 1);
            const position = points.slice(0, start).join('').length;
            const deleted = points.slice(start, end).join('');
            const expected = doc.slice(0, position) + text + doc.slice(position + deleted.length);
            assert.strictEqual(applyToString(doc, fromSplice(doc.length, position, deleted.length, text)), expected);
            assert.strictEqual(applyToString(doc, fromSplice(doc.length, position, deleted, text)), expected);
        }), runs);
    });

    it('applies the same way to a buffer as to a string', () => {
        fc.assert(fc.property(docAndOp, ({ doc, op }) => {
            const buffer = new StringTextBuffer(doc);
            applyToBuffer(buffer, op);
            assert.strictEqual(buffer.getText(), applyToString(doc, op));
        }), runs);
    });
});

describe('text operations (rejecting bad input)', () => {
    const malformed: Array<[string, unknown]> = [
        ['not an array', 'abc'],
        ['null', null],
        ['a zero retain', [0, 'a']],
        ['a negative retain', [-2]],
        ['a fractional retain', [1.5]],
        ['NaN', [NaN]],
        ['Infinity', [Infinity]],
        ['an empty insert', ['']],
        ['a lone surrogate insert', ['\ud83d']],
        ['a zero delete', [{ d: 0 }]],
        ['a negative delete', [{ d: -1 }]],
        ['an empty deleted text', [{ d: '' }]],
        ['an unknown key', [{ x: 1 }]],
        ['extra keys', [{ d: 1, e: 2 }]],
        ['a boolean', [true]],
        ['a nested array', [[1]]],
        ['null component', [null]],
        ['a delete of the wrong type', [{ d: true }]],
    ];
    for (const [what, op] of malformed) {
        it(`rejects ${what} with a clear error and changes nothing`, () => {
            const buffer = new StringTextBuffer('hello world');
            assert.throws(() => applyToBuffer(buffer, op), (e: unknown) => e instanceof InvalidOperationError && e.message.length > 10);
            assert.throws(() => normalize(op), InvalidOperationError);
            assert.strictEqual(buffer.getText(), 'hello world');
        });
    }

    it('rejects an op that does not fit the document, without applying half of it', () => {
        const buffer = new StringTextBuffer('hello');
        const op: TextOperation = ['X', 3, { d: 5 }];
        assert.throws(() => applyToBuffer(buffer, op), /past the end/);
        assert.strictEqual(buffer.getText(), 'hello');
        assert.throws(() => applyToString('hello', [6]), /past the end/);
    });

    it('rejects an op that splits a surrogate pair', () => {
        const doc = 'a😀b';
        assert.throws(() => applyToString(doc, [2, 'x']), /surrogate pair/);
        assert.throws(() => applyToString(doc, [2, { d: 1 }]), /surrogate pair/);
        assert.throws(() => applyToString(doc, [1, { d: 1 }]), /surrogate pair/);
        assert.strictEqual(applyToString(doc, [1, { d: 2 }]), 'ab');
        assert.strictEqual(applyToString(doc, [3, 'x']), 'a😀xb');
    });

    it('rejects a delete whose text does not match the document', () => {
        assert.throws(() => applyToString('hello', [1, { d: 'xy' }]), /names text the document does not have/);
    });

    it('refuses to invert a delete without its text', () => {
        assert.throws(() => invert([1, { d: 2 }]), /makeInvertible/);
    });

    it('fromSplice rejects splices outside the document', () => {
        assert.throws(() => fromSplice(3, 4, 0, 'x'), InvalidOperationError);
        assert.throws(() => fromSplice(3, 1, 3, ''), InvalidOperationError);
        assert.throws(() => fromSplice(3, -1, 0, 'x'), InvalidOperationError);
    });
});

describe('textType (ottypes shape)', () => {
    it('has the members standard OT tooling expects', () => {
        assert.strictEqual(typeof textType.name, 'string');
        assert.strictEqual(typeof textType.uri, 'string');
        for (const member of ['create', 'apply', 'transform', 'compose', 'invert', 'normalize', 'transformCursor', 'transformPosition', 'transformSelection', 'fromSplice'] as const) {
            assert.strictEqual(typeof textType[member], 'function', member);
        }
        assert.strictEqual(textType.create(), '');
        assert.strictEqual(textType.create('abc'), 'abc');
    });

    it('round-trips through JSON', () => {
        fc.assert(fc.property(docAndOp, ({ doc, op }) => {
            const copy = JSON.parse(JSON.stringify(op)) as TextOperation;
            assert.strictEqual(textType.apply(doc, copy), textType.apply(doc, op));
        }), { numRuns: 200 });
    });
});

describe('isWellFormedText', () => {
    it('agrees with String.prototype.isWellFormed', () => {
        fc.assert(fc.property(fc.array(fc.constantFrom('a', '\ud83d', '\ude00', '😀', '中', '\udbff', '\udc00'), { maxLength: 300 }), parts => {
            const text = parts.join('');
            assert.strictEqual(isWellFormedText(text), text.isWellFormed());
        }), { numRuns: 2000 });
    });
});
