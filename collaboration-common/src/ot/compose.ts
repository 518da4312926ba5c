import { ComponentReader, Kind } from './component-reader';
import { appendComponent, appendDelete, appendInsert, appendRetain, deleteLength, TextOperation, trim } from './text-operation';

/**
 * One operation with the effect of `a` followed by `b` (b applies to the
 * document a produced). Text inserted by `a` and deleted by `b` vanishes.
 */
export function compose(a: TextOperation, b: TextOperation): TextOperation {
    const result: TextOperation = [];
    const reader = new ComponentReader(a);
    for (const c of b) {
        if (typeof c === 'number') {
            let n = c;
            while (n > 0) {
                const kind = reader.kind();
                if (kind === Kind.End) {
                    appendRetain(result, n);
                    break;
                } else if (kind === Kind.Delete) {
                    // a's deletes take no room in the document b sees.
                    appendDelete(result, reader.takeDelete(Infinity));
                } else if (kind === Kind.Retain) {
                    const m = reader.takeRetain(n);
                    appendRetain(result, m);
                    n -= m;
                } else {
                    const s = reader.takeInsert(n);
                    appendInsert(result, s);
                    n -= s.length;
                }
            }
        } else if (typeof c === 'string') {
            appendInsert(result, c);
        } else {
            const d = c.d;
            const total = deleteLength(c);
            let done = 0;
            while (done < total) {
                const kind = reader.kind();
                if (kind === Kind.End) {
                    appendDelete(result, sliceDelete(d, done, total));
                    break;
                } else if (kind === Kind.Delete) {
                    appendDelete(result, reader.takeDelete(Infinity));
                } else if (kind === Kind.Retain) {
                    const m = reader.takeRetain(total - done);
                    appendDelete(result, sliceDelete(d, done, done + m));
                    done += m;
                } else {
                    // b deletes what a inserted: both vanish.
                    done += reader.takeInsert(total - done).length;
                }
            }
        }
    }
    while (reader.kind() !== Kind.End) {
        appendComponent(result, reader.takeRest());
    }
    return trim(result);
}

/** The part [start, end) of a delete: its count, or its text when it has one. */
export function sliceDelete(d: number | string, start: number, end: number): number | string {
    if (typeof d === 'number') {
        return end - start;
    }
    return start === 0 && end === d.length ? d : d.slice(start, end);
}
