import { applyInvertibly, splitsSurrogatePair } from '../apply';
import { DocumentAuthority } from '../document-authority';
import { OTClient } from '../ot-client';
import { AppliedOp, CatchUp, ClientOp } from '../ot-messages';
import { RopeTextBuffer } from '../rope-text-buffer';
import { StringTextBuffer, TextBuffer } from '../text-buffer';
import { fromSplice } from '../splice';
import { TextOperation } from '../text-operation';
import { UndoManager } from '../undo-manager';
import { SeededRandom } from './seeded-random';

/**
 * A seeded simulation of one editing session: one authority and several
 * clients on links with random delays (FIFO per link), random edits, undo and
 * redo, disconnects that lose what is in flight, and reconnects. Used by the
 * simulation spec and the soak run.
 */

type Downlink = { kind: 'applied'; applied: AppliedOp } | { kind: 'catch-up'; catchUp: CatchUp };
type Uplink = { kind: 'op'; message: ClientOp } | { kind: 'catch-up-request'; revision: number };

interface InFlight<T> {
    readonly at: number;
    readonly message: T;
}

/** One direction of a connection: messages arrive in order, each after a random delay. */
class Link<T> {
    private queue: InFlight<T>[] = [];

    send(message: T, now: number, delay: number): void {
        const last = this.queue.length > 0 ? this.queue[this.queue.length - 1].at : 0;
        this.queue.push({ at: Math.max(last, now + delay), message });
    }

    /** Messages due at `now`, in order. */
    due(now: number): T[] {
        let n = 0;
        while (n < this.queue.length && this.queue[n].at <= now) {
            n++;
        }
        return this.queue.splice(0, n).map(m => m.message);
    }

    get size(): number {
        return this.queue.length;
    }

    drop(): void {
        this.queue = [];
    }
}

interface SimulatedPeer {
    readonly id: string;
    readonly client: OTClient;
    readonly undo: UndoManager;
    readonly up: Link<Uplink>;
    readonly down: Link<Downlink>;
    connected: boolean;
    /** What each sent seq inserted, to check acknowledged edits survive. */
    readonly sentInserts: Map<number, string[]>;
    readonly acked: Set<number>;
}

export interface SimulationResult {
    readonly seed: number;
    readonly steps: number;
    readonly finalText: string;
    readonly appliedOps: number;
    readonly snapshotsSent: number;
}

export class SimulationFailure extends Error { }

/** Characters unique within a session (CJK, some astral), so each inserted one can be traced. */
function uniqueCharacter(counter: number): string {
    return counter % 4 === 0 ? String.fromCodePoint(0x20000 + counter) : String.fromCodePoint(0x4e00 + counter);
}

const fillers = ['\r\n', ' ', 'e\u0301', '😀'];

/** Runs one seeded session; any failure names the seed that replays it. */
export function runSimulation(seed: number): SimulationResult {
    try {
        return simulate(seed);
    } catch (error) {
        if (error instanceof SimulationFailure) {
            throw error;
        }
        throw new SimulationFailure(`seed ${seed}: ${(error as Error).stack ?? String(error)}\n(replay with ENSEMBLE_SIM_SEED=${seed})`);
    }
}

function simulate(seed: number): SimulationResult {
    const random = new SeededRandom(seed);
    const clientCount = random.int(6, 9);
    const steps = random.int(60, 200);
    const smallLog = random.chance(0.3);
    const initial = random.chance(0.5) ? '' : 'Hello,\r\nworld 😀 中文\n';
    const makeBuffer = (text: string): TextBuffer => random.chance(0.5) ? new RopeTextBuffer(text, { maxChunkLength: 8, maxChildren: 4 }) : new StringTextBuffer(text);
    const authority = new DocumentAuthority(makeBuffer(initial), smallLog ? { maxOps: random.int(1, 12) } : {});
    const history: AppliedOp[] = [];
    let now = 0;
    let counter = 0;
    let snapshotsSent = 0;
    let clock = 0;

    const peers: SimulatedPeer[] = [];
    for (let i = 0; i < clientCount; i++) {
        const id = `client-${i}`;
        const up = new Link<Uplink>();
        const down = new Link<Downlink>();
        const sentInserts = new Map<number, string[]>();
        const undo = new UndoManager({ now: () => clock, groupingDelayMs: 3 });
        const client = new OTClient({
            clientId: id,
            revision: authority.revision,
            document: makeBuffer(initial),
            send: message => {
                sentInserts.set(message.seq, insertedUniques(message.op));
                up.send({ kind: 'op', message }, now, random.int(0, 20));
            },
            onRemoteOp: op => undo.transformRemote(op),
            onOutOfSync: () => up.send({ kind: 'catch-up-request', revision: client.revision }, now, random.int(0, 20)),
        });
        peers.push({ id, client, undo, up, down, connected: true, sentInserts, acked: new Set() });
    }

    const broadcast = (applied: AppliedOp): void => {
        history.push(applied);
        for (const peer of peers) {
            if (peer.connected) {
                peer.down.send({ kind: 'applied', applied }, now, random.int(0, 20));
            }
        }
    };

    const deliver = (): void => {
        for (const peer of peers) {
            for (const message of peer.up.due(now)) {
                if (message.kind === 'op') {
                    const reply = authority.receive(message.message);
                    if (reply.type === 'applied') {
                        broadcast(reply.applied);
                    } else if (reply.type === 'resync') {
                        snapshotsSent++;
                        peer.down.send({ kind: 'catch-up', catchUp: reply.catchUp }, now, random.int(0, 20));
                    }
                } else {
                    const catchUp = authority.catchUp(peer.id, message.revision);
                    snapshotsSent += catchUp.type === 'snapshot' ? 1 : 0;
                    peer.down.send({ kind: 'catch-up', catchUp }, now, random.int(0, 20));
                }
            }
            for (const message of peer.down.due(now)) {
                if (message.kind === 'applied') {
                    if (message.applied.clientId === peer.id) {
                        peer.acked.add(message.applied.seq);
                    }
                    peer.client.receive(message.applied);
                } else {
                    peer.client.resume(message.catchUp);
                }
            }
        }
    };

    const reconnect = (peer: SimulatedPeer): void => {
        peer.connected = true;
        const catchUp = authority.catchUp(peer.id, peer.client.revision);
        snapshotsSent += catchUp.type === 'snapshot' ? 1 : 0;
        for (const applied of catchUp.type === 'ops' ? catchUp.ops : []) {
            if (applied.clientId === peer.id) {
                peer.acked.add(applied.seq);
            }
        }
        peer.client.resume(catchUp);
    };

    const randomEdit = (peer: SimulatedPeer): void => {
        const doc = peer.client.document;
        const position = boundary(doc, random.int(0, doc.length));
        const deleteEnd = random.chance(0.4) ? boundary(doc, Math.min(doc.length, position + random.int(1, 8))) : position;
        let inserted = '';
        if (deleteEnd === position || random.chance(0.5)) {
            const n = random.int(1, 4);
            for (let i = 0; i < n; i++) {
                inserted += random.chance(0.15) ? random.pick(fillers) : uniqueCharacter(++counter);
            }
        }
        if (deleteEnd === position && inserted === '') {
            return;
        }
        const op = fromSplice(doc.length, position, deleteEnd - position, inserted);
        peer.undo.recordLocal(peer.client.applyLocal(op));
    };

    for (let step = 0; step < steps; step++) {
        now += random.int(1, 10);
        clock = now;
        const peer = random.pick(peers);
        const action = random.next();
        if (action < 0.6) {
            randomEdit(peer);
        } else if (action < 0.7) {
            const op: TextOperation | undefined = random.chance(0.7) ? peer.undo.undo() : peer.undo.redo();
            if (op) {
                peer.client.applyLocal(op);
            }
        } else if (action < 0.78 && peer.connected) {
            peer.connected = false;
            peer.up.drop();
            peer.down.drop();
            peer.client.suspend();
        } else if (action < 0.9 && !peer.connected) {
            reconnect(peer);
        }
        deliver();
    }

    // Everyone comes back; deliver until nothing is in flight.
    for (const peer of peers) {
        if (!peer.connected) {
            reconnect(peer);
        }
    }
    for (let round = 0; round < 10_000; round++) {
        now += 5;
        deliver();
        if (peers.every(p => p.up.size === 0 && p.down.size === 0)) {
            break;
        }
    }

    const finalText = authority.buffer.getText();
    check(seed, peers, initial, history, finalText);
    return { seed, steps, finalText, appliedOps: history.length, snapshotsSent };
}

function check(seed: number, peers: SimulatedPeer[], initial: string, history: AppliedOp[], finalText: string): void {
    const fail = (message: string): never => {
        throw new SimulationFailure(`seed ${seed}: ${message} (replay with ENSEMBLE_SIM_SEED=${seed})`);
    };
    for (const peer of peers) {
        if (peer.client.state !== 'synchronized') {
            fail(`${peer.id} still has unacknowledged edits (${peer.client.state})`);
        }
        const text = peer.client.document.getText();
        if (text !== finalText) {
            fail(`${peer.id} diverged:\n  client:    ${JSON.stringify(text)}\n  authority: ${JSON.stringify(finalText)}`);
        }
    }
    const seen = new Set<string>();
    const deleted = new Set<string>();
    // Clients send deletes as counts: replaying the history from the initial
    // text recovers what each removed (and checks that it makes the final text).
    const replay = new StringTextBuffer(initial);
    for (const applied of history) {
        const key = `${applied.clientId}#${applied.seq}`;
        if (seen.has(key)) {
            fail(`operation ${key} was applied twice`);
        }
        seen.add(key);
        const invertible = applyInvertibly(replay, applied.op);
        for (const c of invertible) {
            if (typeof c === 'object') {
                for (const ch of c.d as string) {
                    deleted.add(ch);
                }
            }
        }
    }
    if (replay.getText() !== finalText) {
        fail('the applied operations replayed from the initial text do not make the authority\'s text');
    }
    const present = new Set(Array.from(finalText));
    for (const peer of peers) {
        for (const seq of peer.acked) {
            for (const ch of peer.sentInserts.get(seq) ?? []) {
                if (!present.has(ch) && !deleted.has(ch)) {
                    fail(`${peer.id}'s acknowledged edit ${seq} inserted ${JSON.stringify(ch)}, which is neither in the document nor deleted by anyone`);
                }
            }
        }
    }
}

function insertedUniques(op: TextOperation): string[] {
    const result: string[] = [];
    for (const c of op) {
        if (typeof c === 'string') {
            for (const ch of c) {
                const code = ch.codePointAt(0)!;
                if ((code >= 0x4e00 && code <= 0x9fff) || code >= 0x20000) {
                    result.push(ch);
                }
            }
        }
    }
    return result;
}

/** The nearest offset at or before `offset` that does not split a surrogate pair. */
function boundary(doc: TextBuffer, offset: number): number {
    return splitsSurrogatePair(doc, offset) ? offset - 1 : offset;
}
