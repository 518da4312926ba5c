import { appendDelete, appendInsert, appendRetain, InvalidOperationError, TextOperation, trim } from './text-operation';

/**
 * The operation that undoes `op`. Every delete in `op` must carry its text
 * (see makeInvertible); otherwise an InvalidOperationError says so.
 */
export function invert(op: TextOperation): TextOperation {
    const result: TextOperation = [];
    for (let i = 0; i < op.length; i++) {
        const c = op[i];
        if (typeof c === 'number') {
            appendRetain(result, c);
        } else if (typeof c === 'string') {
            appendDelete(result, c);
        } else if (typeof c.d === 'string') {
            appendInsert(result, c.d);
        } else {
            throw new InvalidOperationError(`component ${i}: cannot invert a delete that does not carry its text; use makeInvertible(op, document) first`);
        }
    }
    return trim(result);
}
