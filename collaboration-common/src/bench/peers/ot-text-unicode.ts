import { TextOp, TextType, type as stringType } from 'ot-text-unicode';
import { CLOCK_EVERY, ReplayPeer, ReplayRun } from '../replay';
import { Edit, Trace } from '../trace';

/** An ot-text-unicode type over some snapshot, with how to read a snapshot's text. */
export interface OtTextUnicodeType<Snap> {
    readonly type: TextType<Snap>;
    /** The snapshot of a text (what `type.create(text)` does; its typings omit the argument). */
    create(text: string): Snap;
    toString(snapshot: Snap): string;
}

/** ot-text-unicode's default type, whose snapshots are plain strings. */
export function otTextUnicodeOnString(): OtTextUnicodeType<string> {
    return { type: stringType, create: text => text, toString: text => text };
}

/** The edit as an ot-text-unicode operation: positions in code points, as the trace has them. */
export function toOtTextUnicodeOp(edit: Edit): TextOp {
    const op: TextOp = [];
    if (edit.cpAt > 0) {
        op.push(edit.cpAt);
    }
    if (edit.cpDeleteCount > 0) {
        op.push({ d: edit.cpDeleteCount });
    }
    if (edit.insert.length > 0) {
        op.push(edit.insert);
    }
    return op;
}

/** ot-text-unicode's `apply` alone, edit after edit on one snapshot: the type's raw speed. */
export function otTextUnicodeApply<Snap>(name: string, typeFor: (trace: Trace) => OtTextUnicodeType<Snap>): ReplayPeer {
    return {
        name,
        prepare(trace) {
            const ops = trace.edits.map(toOtTextUnicodeOp);
            const { type, create, toString } = typeFor(trace);
            return (): ReplayRun => {
                let doc = create(trace.startContent);
                return {
                    run(deadline) {
                        for (let i = 0; i < ops.length; i++) {
                            if (i % CLOCK_EVERY === 0 && process.hrtime.bigint() > deadline) {
                                return i;
                            }
                            doc = type.apply(doc, ops[i]);
                        }
                        return ops.length;
                    },
                    texts: () => [toString(doc)],
                };
            };
        },
    };
}

/**
 * ot-text-unicode as ShareDB uses it: client 1 applies its edit, the server
 * transforms it past the operations it has not seen (none here, delivery is
 * immediate), applies it and logs it, client 1 takes the acknowledgement and
 * client 2 applies the operation. The same work as Ensemble's pipeline.
 */
export function otTextUnicodePipeline<Snap>(name: string, typeFor: (trace: Trace) => OtTextUnicodeType<Snap>): ReplayPeer {
    return {
        name,
        prepare(trace) {
            const ops = trace.edits.map(toOtTextUnicodeOp);
            const { type, create, toString } = typeFor(trace);
            return (): ReplayRun => {
                let client1 = create(trace.startContent);
                let server = create(trace.startContent);
                let client2 = create(trace.startContent);
                const log: TextOp[] = [];
                let client1Revision = 0;
                return {
                    run(deadline) {
                        for (let i = 0; i < ops.length; i++) {
                            if (i % CLOCK_EVERY === 0 && process.hrtime.bigint() > deadline) {
                                return i;
                            }
                            client1 = type.apply(client1, ops[i]);
                            let op = ops[i];
                            for (let r = client1Revision; r < log.length; r++) {
                                op = type.transform(op, log[r], 'left');
                            }
                            server = type.apply(server, op);
                            log.push(op);
                            client1Revision = log.length;
                            client2 = type.apply(client2, op);
                        }
                        return ops.length;
                    },
                    texts: () => [toString(client1), toString(server), toString(client2)],
                };
            };
        },
    };
}
