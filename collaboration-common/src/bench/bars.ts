import { KeystrokeResult } from './keystroke-bench';
import { MemoryResult } from './memory-bench';
import { ReplayResult } from './replay';
import { TransformResult } from './transform-bench';

/** One performance bar of issue 2, evaluated. */
export interface Bar {
    readonly name: string;
    /** The measured figure, in the unit of `threshold`. */
    readonly value: number;
    readonly threshold: number;
    /** 'min': value must be at least threshold; 'max': value must stay under it. */
    readonly kind: 'min' | 'max';
    readonly unit: string;
    readonly pass: boolean;
}

export const PEERS = {
    ensemble: 'Ensemble pipeline',
    ensembleApply: 'Ensemble apply (one replica)',
    ropeApply: 'ot-text-unicode+jumprope apply',
    ropePipeline: 'ot-text-unicode+jumprope pipeline',
    stringApply: 'ot-text-unicode string apply',
    otJs: 'ot.js Client/Server pipeline',
    yjs: 'yjs (2 docs)',
} as const;

function bar(name: string, value: number, kind: 'min' | 'max', threshold: number, unit: string): Bar {
    return { name, value, threshold, kind, unit, pass: kind === 'min' ? value >= threshold : value < threshold };
}

export function evaluateBars(replays: readonly ReplayResult[], transforms: readonly TransformResult[], keystroke: KeystrokeResult, memory: MemoryResult): Bar[] {
    const bars: Bar[] = [];
    const traces = [...new Set(replays.map(r => r.trace))];
    const rate = (trace: string, peer: string) => replays.find(r => r.trace === trace && r.peer === peer)?.opsPerSecond ?? NaN;
    for (const trace of traces) {
        bars.push(bar(`${trace}: pipeline vs ot-text-unicode+jumprope apply`, rate(trace, PEERS.ensemble) / rate(trace, PEERS.ropeApply), 'min', 1, 'x'));
    }
    for (const trace of traces) {
        bars.push(bar(`${trace}: pipeline vs yjs`, rate(trace, PEERS.ensemble) / rate(trace, PEERS.yjs), 'min', 10, 'x'));
    }
    const ours = transforms[0].pairsPerSecond;
    const fastestPeer = Math.max(...transforms.slice(1).map(t => t.pairsPerSecond));
    bars.push(bar('transform vs the faster of ot-text-unicode and ot.js', ours / fastestPeer, 'min', 1.2, 'x'));
    bars.push(bar('keystroke on a 100 MB document, p99', keystroke.ensemble.p99 / 1000, 'max', 0.1, 'ms'));
    const allowance = 3 * memory.documentBytes + memory.logMaxBytes;
    bars.push(bar('authority memory vs 3x document + log bound', memory.authorityBytes / allowance, 'max', 1, 'x'));
    return bars;
}
