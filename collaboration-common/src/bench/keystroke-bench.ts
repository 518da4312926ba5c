import { TextOp } from 'ot-text-unicode';
import { applyToBuffer } from '../ot/apply';
import { RopeTextBuffer } from '../ot/rope-text-buffer';
import { fromSplice } from '../ot/splice';
import { TextOperation } from '../ot/text-operation';
import { collectGarbage } from './clock';
import { otTextUnicodeOverJumprope } from './peers/jumprope-rope';
import { SeededRandom } from '../ot/testing/seeded-random';
import { percentile } from './statistics';

export interface LatencyResult {
    readonly name: string;
    readonly samples: number;
    /** Microseconds. */
    readonly p50: number;
    readonly p99: number;
    readonly max: number;
}

export interface KeystrokeResult {
    readonly documentLength: number;
    readonly ensemble: LatencyResult;
    readonly peer: LatencyResult;
}

/** One keystroke: a 1-character insert or delete at a seeded random offset, as each side spells it. */
interface Keystroke {
    readonly ensemble: TextOperation;
    readonly peer: TextOp;
}

function makeKeystrokes(documentLength: number, count: number, seed: number): Keystroke[] {
    const random = new SeededRandom(seed);
    const keystrokes: Keystroke[] = [];
    let length = documentLength;
    for (let i = 0; i < count; i++) {
        const insert = random.chance(0.5);
        // An insert may go at the end, a delete takes one of the `length` units.
        const at = random.int(0, insert ? length : length - 1);
        const letter = String.fromCharCode(random.int(97, 122));
        const ensemble = fromSplice(length, at, insert ? 0 : 1, insert ? letter : '');
        const peer: TextOp = at > 0 ? [at] : [];
        peer.push(insert ? letter : { d: 1 });
        keystrokes.push({ ensemble, peer });
        length += insert ? 1 : -1;
    }
    return keystrokes;
}

/** A document of `length` code units made of real text, repeated. */
export function bigDocument(sample: string, length: number): string {
    return sample.repeat(Math.ceil(length / sample.length)).slice(0, length);
}

/**
 * Latency of one keystroke on a big document: Ensemble's applyToBuffer on a
 * RopeTextBuffer against ot-text-unicode's apply over jumprope, on the same
 * text and the same seeded keystrokes, each timed alone with hrtime. The two
 * run in alternating blocks so that both see the same heap and machine state;
 * the first blocks warm the JIT and are not counted.
 */
export function measureKeystrokes(text: string, samples: number, warmUpSamples: number): KeystrokeResult {
    const keystrokes = makeKeystrokes(text.length, warmUpSamples + samples, 0x5eed);
    const buffer = new RopeTextBuffer(text);
    const { type, create } = otTextUnicodeOverJumprope(!/[\ud800-\udfff]/.test(text));
    let rope = create(text);
    const ensembleTimes: number[] = [];
    const peerTimes: number[] = [];
    const block = 1000;
    collectGarbage();
    for (let start = 0; start < keystrokes.length; start += block) {
        const end = Math.min(keystrokes.length, start + block);
        const counted = start >= warmUpSamples;
        for (let i = start; i < end; i++) {
            const op = keystrokes[i].ensemble;
            const t0 = process.hrtime.bigint();
            applyToBuffer(buffer, op);
            const t1 = process.hrtime.bigint();
            if (counted) {
                ensembleTimes.push(Number(t1 - t0) / 1000);
            }
        }
        for (let i = start; i < end; i++) {
            const op = keystrokes[i].peer;
            const t0 = process.hrtime.bigint();
            rope = type.apply(rope, op);
            const t1 = process.hrtime.bigint();
            if (counted) {
                peerTimes.push(Number(t1 - t0) / 1000);
            }
        }
    }
    if (buffer.getText() !== rope.toString()) {
        throw new Error('keystroke benchmark: RopeTextBuffer and jumprope ended with different texts');
    }
    const summary = (name: string, times: number[]): LatencyResult => ({
        name, samples: times.length, p50: percentile(times, 50), p99: percentile(times, 99), max: percentile(times, 100),
    });
    return {
        documentLength: text.length,
        ensemble: summary('Ensemble applyToBuffer on RopeTextBuffer', ensembleTimes),
        peer: summary('ot-text-unicode apply on jumprope', peerTimes),
    };
}
