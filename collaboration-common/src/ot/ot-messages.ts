import { TextOperation } from './text-operation';

/** An edit a client sends to the document's authority. */
export interface ClientOp {
    /** Stable id of the sending client; with `seq` it makes resends idempotent. */
    readonly clientId: string;
    /** 1, 2, 3, … per client: the authority applies each seq once. */
    readonly seq: number;
    /** The authority revision the operation is based on. */
    readonly revision: number;
    readonly op: TextOperation;
}

/** An edit the authority applied, broadcast to every client (its author takes it as the acknowledgement). */
export interface AppliedOp {
    /** The revision this operation produced. */
    readonly revision: number;
    readonly op: TextOperation;
    readonly clientId: string;
    readonly seq: number;
}

export interface DocumentSnapshot {
    readonly revision: number;
    readonly text: string;
}

/** What a (re)connecting client gets to catch up from its revision. */
export type CatchUp =
    | { readonly type: 'ops'; readonly ops: readonly AppliedOp[] }
    | {
        readonly type: 'snapshot';
        readonly snapshot: DocumentSnapshot;
        /** The client's highest seq included in the snapshot (0 for none). */
        readonly lastSeq: number;
        readonly reason: string;
    };
