import { appendDelete, appendInsert, appendRetain, InvalidOperationError, TextOperation } from './text-operation';
import { isHighSurrogate, isLowSurrogate } from './surrogates';

/**
 * The operation that replaces `deleted` code units at `position` of a
 * document of `docLength` code units with `inserted` — the shape of an editor
 * change event. `deleted` may be the deleted text itself, which makes the
 * operation invertible.
 */
export function fromSplice(docLength: number, position: number, deleted: number | string, inserted: string): TextOperation {
    const deleteCount = typeof deleted === 'number' ? deleted : deleted.length;
    if (!Number.isSafeInteger(docLength) || docLength < 0) {
        throw new InvalidOperationError(`docLength must be a non-negative integer, got ${docLength}`);
    }
    if (!Number.isSafeInteger(position) || position < 0 || position > docLength) {
        throw new InvalidOperationError(`position must be an integer in [0, ${docLength}], got ${position}`);
    }
    if (!Number.isSafeInteger(deleteCount) || deleteCount < 0 || position + deleteCount > docLength) {
        throw new InvalidOperationError(`cannot delete ${deleteCount} code units at ${position} of a document of ${docLength}`);
    }
    if (typeof inserted !== 'string') {
        throw new InvalidOperationError(`inserted must be a string, got ${typeof inserted}`);
    }
    const op: TextOperation = [];
    appendRetain(op, position);
    appendDelete(op, deleted);
    appendInsert(op, inserted);
    return op;
}

/**
 * One splice that turns `from` into `to`: the common prefix and suffix are
 * kept, the middle replaced. Used to bridge a resync, where only the two
 * texts are known. The split never falls inside a surrogate pair.
 */
export function diff(from: string, to: string): TextOperation {
    const max = Math.min(from.length, to.length);
    let prefix = 0;
    while (prefix < max && from.charCodeAt(prefix) === to.charCodeAt(prefix)) {
        prefix++;
    }
    if (prefix > 0 && prefix < max && isHighSurrogate(from.charCodeAt(prefix - 1))) {
        prefix--;
    }
    let suffix = 0;
    const maxSuffix = max - prefix;
    while (suffix < maxSuffix && from.charCodeAt(from.length - 1 - suffix) === to.charCodeAt(to.length - 1 - suffix)) {
        suffix++;
    }
    if (suffix > 0 && suffix < maxSuffix && isLowSurrogate(from.charCodeAt(from.length - suffix))) {
        suffix--;
    }
    const op: TextOperation = [];
    appendRetain(op, prefix);
    appendDelete(op, from.slice(prefix, from.length - suffix));
    appendInsert(op, to.slice(prefix, to.length - suffix));
    return op;
}
