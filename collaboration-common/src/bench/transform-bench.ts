import { TextOperation as OtJsOperation } from 'ot';
import { type as otTextUnicode, TextOp } from 'ot-text-unicode';
import { applyToString } from '../ot/apply';
import { fromSplice } from '../ot/splice';
import { TextOperation } from '../ot/text-operation';
import { transform } from '../ot/transform';
import { collectGarbage, now, secondsBetween } from './clock';
import { SeededRandom } from '../ot/testing/seeded-random';
import { median } from './statistics';
import { Edit, Trace } from './trace';

/** Two concurrent edits on a document of `docLength` code units. */
interface EditPair {
    readonly docLength: number;
    readonly a: Edit;
    readonly b: Edit;
}

/**
 * Realistic concurrent pairs: a trace patch and one of the next few dozen
 * patches of the same trace (as if a second user typed it meanwhile), both
 * expressed against the document the first applies to. The second is clamped
 * to fit that document. The pairs only use UTF-16 values: ot-text-unicode
 * reads them as code points, which is the same document for BMP-only traces
 * and an equally valid pair otherwise.
 */
function makePairs(traces: readonly Trace[], count: number, seed: number): EditPair[] {
    const random = new SeededRandom(seed);
    const pairs: EditPair[] = [];
    for (let k = 0; k < count; k++) {
        const edits = traces[k % traces.length].edits;
        const i = random.int(0, edits.length - 65 - 1);
        const a = edits[i];
        const later = edits[i + 1 + random.int(0, 64 - 1)];
        const at = Math.min(later.at, a.docLength);
        const b: Edit = { ...later, at, deleteCount: Math.min(later.deleteCount, a.docLength - at), docLength: a.docLength };
        if (b.deleteCount === 0 && b.insert.length === 0) {
            k--;
            continue;
        }
        pairs.push({ docLength: a.docLength, a, b });
    }
    return pairs;
}

/** One implementation's transform of every pair both ways (a past b on the left, b past a on the right). */
interface TransformCandidate {
    readonly name: string;
    /** Transforms all pairs; returns a checksum so that the work cannot be optimized away. */
    run(): number;
}

function ensembleCandidate(pairs: readonly EditPair[]): TransformCandidate {
    const ops = pairs.map(p => [fromSplice(p.docLength, p.a.at, p.a.deleteCount, p.a.insert), fromSplice(p.docLength, p.b.at, p.b.deleteCount, p.b.insert)]);
    return {
        name: 'Ensemble transform',
        run() {
            let sum = 0;
            for (const [a, b] of ops) {
                sum += transform(a, b, 'left').length + transform(b, a, 'right').length;
            }
            return sum;
        },
    };
}

function otTextUnicodeOp(docLength: number, e: Edit): TextOp {
    return fromSplice(docLength, e.at, e.deleteCount, e.insert) as TextOp;
}

function otTextUnicodeCandidate(pairs: readonly EditPair[]): TransformCandidate {
    const ops = pairs.map(p => [otTextUnicodeOp(p.docLength, p.a), otTextUnicodeOp(p.docLength, p.b)]);
    return {
        name: 'ot-text-unicode transform',
        run() {
            let sum = 0;
            for (const [a, b] of ops) {
                sum += otTextUnicode.transform(a, b, 'left').length + otTextUnicode.transform(b, a, 'right').length;
            }
            return sum;
        },
    };
}

function otJsOp(docLength: number, e: Edit): OtJsOperation {
    return new OtJsOperation().retain(e.at).delete(e.deleteCount).insert(e.insert).retain(docLength - e.at - e.deleteCount);
}

function otJsCandidate(pairs: readonly EditPair[]): TransformCandidate {
    const ops = pairs.map(p => [otJsOp(p.docLength, p.a), otJsOp(p.docLength, p.b)]);
    return {
        name: 'ot.js transform',
        run() {
            let sum = 0;
            for (const [a, b] of ops) {
                const [a1, b1] = OtJsOperation.transform(a, b);
                sum += a1.ops.length + b1.ops.length;
            }
            return sum;
        },
    };
}

/** Checks on the first pairs that Ensemble and ot-text-unicode converge to the same text (the pairs are sound and the two agree). */
function checkPairs(pairs: readonly EditPair[]): void {
    for (const p of pairs.slice(0, 2000)) {
        const doc = 'abcdefghij'.repeat(Math.ceil(p.docLength / 10)).slice(0, p.docLength);
        const a = otTextUnicodeOp(p.docLength, p.a);
        const b = otTextUnicodeOp(p.docLength, p.b);
        const ours = applyToString(applyToString(doc, a as TextOperation), transform(b as TextOperation, a as TextOperation, 'right'));
        const theirs = otTextUnicode.apply(otTextUnicode.apply(doc, b), otTextUnicode.transform(a, b, 'left'));
        if (ours !== theirs) {
            throw new Error(`transform pair check failed: ${JSON.stringify(a)} / ${JSON.stringify(b)}`);
        }
    }
}

export interface TransformResult {
    readonly name: string;
    /** Pairs per second, each pair transformed both ways. */
    readonly pairsPerSecond: number;
}

/** Transform throughput on the same pairs for each implementation, interleaved rounds after a warm-up. */
export function measureTransforms(traces: readonly Trace[], pairCount: number, rounds: number): TransformResult[] {
    const pairs = makePairs(traces, pairCount, 0x7e57);
    checkPairs(pairs);
    const candidates = [ensembleCandidate(pairs), otTextUnicodeCandidate(pairs), otJsCandidate(pairs)];
    const samples: number[][] = candidates.map(() => []);
    let checksum = 0;
    for (const candidate of candidates) {
        checksum += candidate.run(); // warm-up
    }
    for (let round = 0; round < rounds; round++) {
        candidates.forEach((candidate, i) => {
            collectGarbage();
            const start = now();
            checksum += candidate.run();
            samples[i].push(pairs.length / secondsBetween(start, now()));
        });
    }
    if (checksum === 0) {
        throw new Error('transform benchmark did no work');
    }
    return candidates.map((c, i) => ({ name: c.name, pairsPerSecond: median(samples[i]) }));
}
