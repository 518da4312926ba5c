import { applyToBuffer } from '../../ot/apply';
import { DocumentAuthority } from '../../ot/document-authority';
import { ClientOp } from '../../ot/ot-messages';
import { OTClient } from '../../ot/ot-client';
import { fromSplice } from '../../ot/splice';
import { TextBuffer } from '../../ot/text-buffer';
import { TextOperation } from '../../ot/text-operation';
import { CLOCK_EVERY, ReplayPeer, ReplayRun } from '../replay';
import { Trace } from '../trace';

/**
 * Ensemble's full pipeline: client 1 applies the edit locally and sends it,
 * the authority transforms and applies it, and its broadcast reaches client 1
 * (the acknowledgement) and client 2 (which applies it). Delivery is
 * immediate, so the authority's transform loop finds nothing concurrent:
 * what is measured is the cost of the machinery itself.
 */
export function ensemblePipeline(name: string, createBuffer: (text: string) => TextBuffer): ReplayPeer {
    return {
        name,
        prepare(trace: Trace): () => ReplayRun {
            const ops = trace.edits.map(e => fromSplice(e.docLength, e.at, e.deleteCount, e.insert));
            return () => new PipelineRun(ops, trace.startContent, createBuffer);
        },
    };
}

class PipelineRun implements ReplayRun {
    private readonly authority: DocumentAuthority;
    private readonly client1: OTClient;
    private readonly client2: OTClient;
    private outbox: ClientOp | undefined;

    constructor(private readonly ops: readonly TextOperation[], start: string, createBuffer: (text: string) => TextBuffer) {
        this.authority = new DocumentAuthority(createBuffer(start));
        this.client1 = new OTClient({ clientId: 'client-1', revision: 0, document: createBuffer(start), send: m => { this.outbox = m; } });
        this.client2 = new OTClient({ clientId: 'client-2', revision: 0, document: createBuffer(start), send: () => undefined });
    }

    run(deadline: bigint): number {
        const ops = this.ops;
        for (let i = 0; i < ops.length; i++) {
            if (i % CLOCK_EVERY === 0 && process.hrtime.bigint() > deadline) {
                return i;
            }
            this.client1.applyLocal(ops[i]);
            const message = this.outbox;
            if (message === undefined) {
                throw new Error(`client 1 sent nothing for edit ${i}`);
            }
            this.outbox = undefined;
            const reply = this.authority.receive(message);
            if (reply.type !== 'applied') {
                throw new Error(`the authority answered edit ${i} with ${reply.type}`);
            }
            this.client1.receive(reply.applied);
            this.client2.receive(reply.applied);
        }
        return ops.length;
    }

    texts(): string[] {
        return [this.client1.document.getText(), this.authority.buffer.getText(), this.client2.document.getText()];
    }
}

/**
 * One replica alone: each edit checked and applied to one buffer, as each of
 * the pipeline's three replicas does. Not a bar: it shows what a pipeline of
 * three replicas can reach at best against a peer's single apply.
 */
export function ensembleSingleApply(name: string, createBuffer: (text: string) => TextBuffer): ReplayPeer {
    return {
        name,
        prepare(trace: Trace): () => ReplayRun {
            const ops = trace.edits.map(e => fromSplice(e.docLength, e.at, e.deleteCount, e.insert));
            return () => {
                const buffer = createBuffer(trace.startContent);
                return {
                    run(deadline: bigint): number {
                        for (let i = 0; i < ops.length; i++) {
                            if (i % CLOCK_EVERY === 0 && process.hrtime.bigint() > deadline) {
                                return i;
                            }
                            applyToBuffer(buffer, ops[i]);
                        }
                        return ops.length;
                    },
                    texts: () => [buffer.getText()],
                };
            };
        },
    };
}
