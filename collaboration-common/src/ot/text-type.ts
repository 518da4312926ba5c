import { applyToString, makeInvertible } from './apply';
import { compose } from './compose';
import { invert } from './invert';
import { fromSplice } from './splice';
import { checkOp, isNoop, normalize, TextOperation } from './text-operation';
import { Selection, Side, transform, transformPosition, transformSelection } from './transform';

/**
 * Ensemble's text type in the shape of the ottypes specification, so that
 * ShareDB and the standard OT tooling can use it unchanged. Snapshots are
 * plain strings; operations are TextOperation arrays.
 */
export interface TextType {
    readonly name: string;
    readonly uri: string;
    create(initial?: string): string;
    apply(snapshot: string, op: TextOperation): string;
    transform(op: TextOperation, other: TextOperation, side: Side): TextOperation;
    compose(a: TextOperation, b: TextOperation): TextOperation;
    invert(op: TextOperation): TextOperation;
    normalize(op: unknown): TextOperation;
    isNoop(op: TextOperation): boolean;
    checkOp(op: unknown): asserts op is TextOperation;
    transformPosition(position: number, op: TextOperation, isOwnOp?: boolean): number;
    transformCursor(position: number, op: TextOperation, isOwnOp?: boolean): number;
    transformSelection<S extends Selection>(selection: S, op: TextOperation, isOwnOp?: boolean): S;
    fromSplice(docLength: number, position: number, deleted: number | string, inserted: string): TextOperation;
    makeInvertible(op: TextOperation, snapshot: string): TextOperation;
}

export const textType: TextType = {
    name: 'ensemble-text',
    uri: 'urn:ensemble:ot-type:text-utf16',
    create(initial = ''): string {
        if (typeof initial !== 'string') {
            throw new TypeError(`the initial document must be a string, got ${typeof initial}`);
        }
        return initial;
    },
    apply: applyToString,
    transform,
    compose,
    invert,
    normalize,
    isNoop,
    checkOp,
    transformPosition,
    transformCursor: transformPosition,
    transformSelection,
    fromSplice,
    makeInvertible,
};
