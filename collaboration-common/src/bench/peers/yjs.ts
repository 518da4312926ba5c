import { CLOCK_EVERY, ReplayPeer, ReplayRun } from '../replay';
import { Trace } from '../trace';

export type Yjs = typeof import('yjs', { with: { 'resolution-mode': 'import' } });

/**
 * Loads yjs's ES module build. The package compiles to CommonJS with module
 * Node16, where `await import()` stays a real dynamic import; a `require`
 * would load yjs's CommonJS build, several times slower.
 */
export async function loadYjs(): Promise<Yjs> {
    return import('yjs');
}

/** yjs: each edit is one transaction on doc 1's Y.Text, and its update is applied to doc 2. */
export function yjsPipeline(name: string, Y: Yjs): ReplayPeer {
    return {
        name,
        prepare(trace: Trace) {
            const edits = trace.edits;
            return (): ReplayRun => {
                const doc1 = new Y.Doc();
                const doc2 = new Y.Doc();
                const text1 = doc1.getText('text');
                const text2 = doc2.getText('text');
                if (trace.startContent.length > 0) {
                    text1.insert(0, trace.startContent);
                    Y.applyUpdate(doc2, Y.encodeStateAsUpdate(doc1));
                }
                doc1.on('update', (update: Uint8Array) => Y.applyUpdate(doc2, update));
                return {
                    run(deadline) {
                        for (let i = 0; i < edits.length; i++) {
                            if (i % CLOCK_EVERY === 0 && process.hrtime.bigint() > deadline) {
                                return i;
                            }
                            const { at, deleteCount, insert } = edits[i];
                            doc1.transact(() => {
                                if (deleteCount > 0) {
                                    text1.delete(at, deleteCount);
                                }
                                if (insert.length > 0) {
                                    text1.insert(at, insert);
                                }
                            });
                        }
                        return edits.length;
                    },
                    texts: () => [text1.toString(), text2.toString()],
                };
            };
        },
    };
}
