import * as fc from 'fast-check';
import { appendDelete, appendInsert, appendRetain, TextOperation, trim } from '../text-operation';

/**
 * Test support: documents and operations made of text that trips up naive
 * implementations — emoji (surrogate pairs, with skin-tone modifiers), CJK,
 * combining marks and CRLF line ends.
 */
export const trickyCharacters = ['a', 'b', 'x', ' ', '\n', '\r\n', '\r', '😀', '👍🏽', '中', '文', 'e\u0301', 'ﬁ', '\t'];

export const trickyText = fc.array(fc.constantFrom(...trickyCharacters), { maxLength: 24 }).map(parts => parts.join(''));

export interface OpStep {
    kind: 'retain' | 'delete' | 'insert';
    /** Code points to retain or delete. */
    count: number;
    text: string;
    /** Whether a delete carries its text. */
    withText: boolean;
}

export const opSteps = fc.array(fc.record({
    kind: fc.constantFrom<OpStep['kind']>('retain', 'delete', 'insert'),
    count: fc.integer({ min: 1, max: 6 }),
    text: fc.array(fc.constantFrom(...trickyCharacters), { minLength: 1, maxLength: 4 }).map(parts => parts.join('')),
    withText: fc.boolean(),
}), { maxLength: 8 });

/**
 * Interprets `steps` over `doc` as a valid operation: counts are in code
 * points (so no step splits a surrogate pair) and are clamped to what is left.
 */
export function opFromSteps(doc: string, steps: OpStep[], invertible = false): TextOperation {
    const codePoints = Array.from(doc);
    let index = 0;
    const op: TextOperation = [];
    for (const step of steps) {
        if (step.kind === 'insert') {
            appendInsert(op, step.text);
            continue;
        }
        const taken = codePoints.slice(index, index + step.count).join('');
        index += Math.min(step.count, codePoints.length - index);
        if (taken.length === 0) {
            continue;
        }
        if (step.kind === 'retain') {
            appendRetain(op, taken.length);
        } else {
            appendDelete(op, invertible || step.withText ? taken : taken.length);
        }
    }
    return trim(op);
}

/** A document and one operation on it. */
export const docAndOp = fc.tuple(trickyText, opSteps).map(([doc, steps]) => ({ doc, op: opFromSteps(doc, steps) }));

/** A document and two concurrent operations on it. */
export const docAndTwoOps = fc.tuple(trickyText, opSteps, opSteps)
    .map(([doc, a, b]) => ({ doc, a: opFromSteps(doc, a), b: opFromSteps(doc, b) }));
