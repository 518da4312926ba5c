import { Client, Server, TextOperation } from 'ot';
import { CLOCK_EVERY, ReplayPeer, ReplayRun } from '../replay';
import { Edit, Trace } from '../trace';

/** The edit as an ot.js operation, which spans the whole document. */
export function toOtJsOp(edit: Edit): TextOperation {
    return new TextOperation()
        .retain(edit.at)
        .delete(edit.deleteCount)
        .insert(edit.insert)
        .retain(edit.docLength - edit.at - edit.deleteCount);
}

/** An ot.js client holding its document as a string, as ot.js's own editor client does. */
class StringClient extends Client {
    outbox: [number, TextOperation] | undefined;

    constructor(public document: string) {
        super(0);
    }

    override sendOperation(revision: number, op: TextOperation): void {
        this.outbox = [revision, op];
    }

    override applyOperation(op: TextOperation): void {
        this.document = op.apply(this.document);
    }
}

/** ot.js's Client / Server pipeline: client 1 edits, the server transforms and applies, client 1 is acknowledged, client 2 applies. */
export function otJsPipeline(name: string): ReplayPeer {
    return {
        name,
        prepare(trace: Trace) {
            const ops = trace.edits.map(toOtJsOp);
            return (): ReplayRun => {
                const client1 = new StringClient(trace.startContent);
                const client2 = new StringClient(trace.startContent);
                const server = new Server(trace.startContent);
                return {
                    run(deadline) {
                        for (let i = 0; i < ops.length; i++) {
                            if (i % CLOCK_EVERY === 0 && process.hrtime.bigint() > deadline) {
                                return i;
                            }
                            client1.document = ops[i].apply(client1.document);
                            client1.applyClient(ops[i]);
                            const sent = client1.outbox;
                            if (sent === undefined) {
                                throw new Error(`ot.js client 1 sent nothing for edit ${i}`);
                            }
                            client1.outbox = undefined;
                            const applied = server.receiveOperation(sent[0], sent[1]);
                            client1.serverAck();
                            client2.applyServer(applied);
                        }
                        return ops.length;
                    },
                    texts: () => [client1.document, server.document, client2.document],
                };
            };
        },
    };
}
