import * as assert from 'assert';
import * as fc from 'fast-check';
import { applyInvertibly, applyToBuffer, applyToString, checkOpFits, makeInvertible } from './apply';
import { readOneEdit } from './one-edit';
import { estimateOpBytes, OperationLog } from './operation-log';
import { RopeTextBuffer } from './rope-text-buffer';
import { StringTextBuffer } from './text-buffer';
import { TextOperation } from './text-operation';
import { docAndOp, trickyCharacters, trickyText } from './testing/arbitraries';

const runs = { numRuns: 3000 };

/**
 * Components an operation of one edit is made of, good and bad: what a
 * client or a peer could send. Offsets are in code units, so that some split
 * surrogate pairs; deleted texts are sometimes wrong.
 */
const anyComponent = fc.oneof(
    fc.integer({ min: -2, max: 30 }),
    fc.constantFrom(1.5, Number.NaN, Infinity, 2 ** 53),
    fc.array(fc.constantFrom(...trickyCharacters, '\ud83d', '\ude00', ''), { maxLength: 3 }).map(parts => parts.join('')),
    fc.integer({ min: -1, max: 12 }).map(d => ({ d })),
    fc.array(fc.constantFrom(...trickyCharacters, '\ud83d'), { maxLength: 3 }).map(parts => ({ d: parts.join('') })),
    fc.constantFrom<unknown>(null, undefined, [], {}, { d: 1, x: 2 }, { e: 1 }, { d: null }, true),
);

/** What applying does, or the error it throws. */
function outcome(apply: () => string): string {
    try {
        return `ok: ${apply()}`;
    } catch (error) {
        return `error: ${(error as Error).name}: ${(error as Error).message}`;
    }
}

describe('one-edit fast path (same answers as the general checks)', () => {
    it('applyToBuffer accepts and rejects exactly what the general checks do, with the same error and the same text', () => {
        fc.assert(fc.property(trickyText, fc.array(anyComponent, { maxLength: 4 }), (doc, op) => {
            const general = outcome(() => applyToString(doc, op));
            for (const buffer of [new StringTextBuffer(doc), new RopeTextBuffer(doc)]) {
                assert.strictEqual(outcome(() => {
                    applyToBuffer(buffer, op);
                    return buffer.getText();
                }), general);
                if (general.startsWith('error')) {
                    assert.strictEqual(buffer.getText(), doc, 'a rejected operation changed nothing');
                }
            }
        }), runs);
    });

    it('makeInvertible answers as the general checks do: same rejections, deletes filled in from the document', () => {
        fc.assert(fc.property(trickyText, fc.array(anyComponent, { maxLength: 4 }), (doc, op) => {
            const general = outcome(() => {
                checkOpFits(doc, op);
                return '';
            });
            const made = outcome(() => JSON.stringify(makeInvertible(op, doc)));
            assert.strictEqual(made.startsWith('error') ? made : 'ok: ', general);
            if (!made.startsWith('error')) {
                const invertible = JSON.parse(made.slice(4)) as TextOperation;
                assert.strictEqual(applyToString(doc, invertible), applyToString(doc, op));
                assert.ok(invertible.every(c => typeof c !== 'object' || typeof c.d === 'string'));
            }
        }), runs);
    });

    it('applyInvertibly does what makeInvertible then applying does: same operation, same text, same rejections, nothing changed on one', () => {
        fc.assert(fc.property(trickyText, fc.array(anyComponent, { maxLength: 4 }), (doc, op) => {
            const expected = outcome(() => {
                const invertible = makeInvertible(op, doc);
                return JSON.stringify([invertible, applyToString(doc, invertible)]);
            });
            for (const buffer of [new StringTextBuffer(doc), new RopeTextBuffer(doc)]) {
                assert.strictEqual(outcome(() => JSON.stringify([applyInvertibly(buffer, op), buffer.getText()])), expected);
                if (expected.startsWith('error')) {
                    assert.strictEqual(buffer.getText(), doc, 'a rejected operation changed nothing');
                }
            }
        }), runs);
    });
});

describe('operation log (one-edit operations kept as parts)', () => {
    it('keeps exactly the newest entries within both bounds, its ring wrapping and growing as they come and go', () => {
        fc.assert(fc.property(fc.array(docAndOp, { minLength: 1, maxLength: 80 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 64, max: 3000 }),
            (entries, maxOps, maxBytes) => checkLogAgainstModel(entries, maxOps, maxBytes)), { numRuns: 300 });
        // A long edit trimmed by bytes leaves the oldest entry mid-ring; the
        // short ones after it then fill the ring, which grows wrapped around.
        const short = { doc: '', op: ['x'] };
        const long = { doc: '', op: ['y'.repeat(400)] };
        checkLogAgainstModel([...Array(10).fill(short), long, ...Array(40).fill(short)], 1000, 2000);
    });

    it('gives back every operation exactly as appended, of one edit or not, after the ring grew and trimmed', () => {
        fc.assert(fc.property(fc.array(docAndOp, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 40 }), (entries, maxOps) => {
            const log = new OperationLog(100, { maxOps });
            // The same entries, with the parts readOneEdit read handed over as the authority does.
            const fromParts = new OperationLog(100, { maxOps });
            entries.forEach(({ doc, op }, i) => {
                log.append({ revision: 101 + i, op, clientId: `c${i % 3}`, seq: i + 1 });
                fromParts.append({ revision: 101 + i, op, clientId: `c${i % 3}`, seq: i + 1 }, readOneEdit(doc, op));
            });
            const kept = entries.slice(-maxOps);
            const firstKept = 100 + entries.length - kept.length;
            assert.deepStrictEqual(fromParts.since(firstKept), log.since(firstKept));
            assert.strictEqual(fromParts.byteSize, log.byteSize);
            assert.strictEqual(log.firstRevision, firstKept);
            assert.deepStrictEqual(log.since(firstKept), kept.map(({ op }, k) => {
                const i = entries.length - kept.length + k;
                return { revision: firstKept + k + 1, op, clientId: `c${i % 3}`, seq: i + 1 };
            }));
            kept.forEach(({ op }, k) => assert.deepStrictEqual(log.opProducing(firstKept + k + 1), op));
            // The size counted from the parts is the general estimate's.
            assert.strictEqual(log.byteSize, kept.reduce((total, { op }) => total + estimateOpBytes(op), 0));
            assert.strictEqual(log.since(firstKept - 1), undefined);
        }), { numRuns: 500 });
    });
});

/** Appends `entries` (every other one with its parts) and compares the log with a plain list trimmed by the same rule, after each. */
function checkLogAgainstModel(entries: { doc: string, op: TextOperation }[], maxOps: number, maxBytes: number): void {
    const log = new OperationLog(0, { maxOps, maxBytes });
    const model: { revision: number, op: TextOperation, clientId: string, seq: number }[] = [];
    let modelBytes = 0;
    entries.forEach(({ doc, op }, i) => {
        const entry = { revision: i + 1, op, clientId: `c${i % 3}`, seq: i + 1 };
        log.append(entry, i % 2 === 0 ? readOneEdit(doc, op) : undefined);
        model.push(entry);
        modelBytes += estimateOpBytes(op);
        while (model.length > maxOps || (modelBytes > maxBytes && model.length > 0)) {
            modelBytes -= estimateOpBytes(model.shift()!.op);
        }
        const first = i + 1 - model.length;
        assert.strictEqual(log.firstRevision, first);
        assert.strictEqual(log.byteSize, modelBytes);
        assert.deepStrictEqual(log.since(first), model);
    });
}
