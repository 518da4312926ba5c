import { collectGarbage, now, secondsBetween } from './clock';
import { median } from './statistics';
import { checkFinalText, Trace } from './trace';

/** One replay of a trace from a fresh document. */
export interface ReplayRun {
    /** Applies the trace's edits in order until all are applied or `deadline` (a now() reading) passes; returns how many it applied. */
    run(deadline: bigint): number;
    /** The final text of every replica the peer keeps, checked against endContent after a full replay. */
    texts(): string[];
}

/** Ensemble or a peer, replaying a trace edit by edit. */
export interface ReplayPeer {
    readonly name: string;
    /** Converts the trace to the peer's operations (not timed); returns a factory of fresh replays. */
    prepare(trace: Trace): () => ReplayRun;
}

export interface ReplayResult {
    readonly peer: string;
    readonly trace: string;
    /** Median over the measured rounds. */
    readonly opsPerSecond: number;
    /** Edits the last round applied: fewer than totalEdits when the time cap stopped it. */
    readonly editsApplied: number;
    readonly totalEdits: number;
    readonly rounds: number;
}

export interface ReplayOptions {
    readonly rounds: number;
    /** A peer stops after the round in which its measured time on the trace exceeds this. */
    readonly budgetSeconds: number;
    /** A replay stops after this many seconds and counts the edits it applied; Ensemble's never stops. */
    readonly capSeconds: number;
    /** Each peer first replays the trace unmeasured for up to this long (at least one replay, up to three), so that the JIT has settled. */
    readonly warmUpSeconds: number;
    /** Peers that are never capped. */
    readonly uncapped: ReadonlySet<string>;
}

/** How many edits of `trace` the loop below checks the clock after: rarely enough to cost nothing. */
export const CLOCK_EVERY = 64;

/**
 * Measures every peer on `trace`, one peer after the other, each in the same
 * conditions: a garbage collection, an unmeasured warm-up on this trace (at
 * least one replay, up to three, within warmUpSeconds) so that the JIT has
 * settled, then measured rounds, each from a fresh document after a garbage
 * collection, until `rounds` or the peer's time budget is used up.
 *
 * Rounds are not interleaved between peers on purpose: with a forced gc()
 * between them, interleaving makes every peer (Ensemble and ot-text-unicode
 * alike) 2-4x slower and erratic, as V8 drops optimized code and feedback
 * of the idle one; that measures V8's re-warming, not the libraries.
 *
 * The first full replay is checked against the trace's final text. A capped
 * peer is not run again: its one capped round is its figure.
 */
export function measureReplays(trace: Trace, peers: readonly ReplayPeer[], options: ReplayOptions): ReplayResult[] {
    return peers.map(peer => measureReplay(trace, peer, options));
}

function measureReplay(trace: Trace, peer: ReplayPeer, options: ReplayOptions): ReplayResult {
    const fresh = peer.prepare(trace);
    const total = trace.edits.length;
    collectGarbage();
    const warmUpEnd = now() + BigInt(Math.round(options.warmUpSeconds * 1e9));
    for (let i = 0; i < 3 && now() < warmUpEnd && fresh().run(warmUpEnd) === total; i++) {
        // warming up
    }
    const cap = options.uncapped.has(peer.name) ? Infinity : options.capSeconds;
    const samples: number[] = [];
    let applied = total;
    let spent = 0;
    let checked = false;
    while (samples.length < options.rounds && applied === total && spent <= options.budgetSeconds) {
        const replay = fresh();
        collectGarbage();
        const start = now();
        const n = replay.run(cap === Infinity ? BigInt(Number.MAX_SAFE_INTEGER) * 1000n : start + BigInt(Math.round(cap * 1e9)));
        const seconds = secondsBetween(start, now());
        samples.push(n / seconds);
        spent += seconds;
        applied = n;
        if (n === total && !checked) {
            for (const text of replay.texts()) {
                checkFinalText(trace, peer.name, text);
            }
            checked = true;
        }
    }
    return { peer: peer.name, trace: trace.name, opsPerSecond: median(samples), editsApplied: applied, totalEdits: total, rounds: samples.length };
}

/**
 * Several passes' results as one: per trace and implementation, the median of
 * the passes' figures (rounds added up, the fewest edits replayed). Passes
 * over every trace in turn spread a burst of load from outside over all
 * implementations, where one pass puts it on whichever ran then.
 */
export function combinePasses(passes: readonly (readonly ReplayResult[])[]): ReplayResult[] {
    return passes[0].map(first => {
        const same = passes.map(pass => pass.find(r => r.trace === first.trace && r.peer === first.peer) as ReplayResult);
        return {
            peer: first.peer,
            trace: first.trace,
            opsPerSecond: median(same.map(r => r.opsPerSecond)),
            editsApplied: Math.min(...same.map(r => r.editsApplied)),
            totalEdits: first.totalEdits,
            rounds: same.reduce((total, r) => total + r.rounds, 0),
        };
    });
}
