import { Bar, PEERS } from './bars';
import { KeystrokeResult } from './keystroke-bench';
import { MemoryResult } from './memory-bench';
import { ReplayResult } from './replay';
import { TransformResult } from './transform-bench';

/** Everything one `npm run bench` measured; also written as JSON. */
export interface BenchResults {
    readonly environment: {
        readonly node: string;
        readonly cpus: number;
        readonly cpuModel: string;
        readonly date: string;
        /** 1-minute load average at the start and at the end: above the CPU count, other processes were competing and wall-clock figures are noisy. */
        readonly loadAverage: readonly [number, number];
    };
    readonly replayCapSeconds: number;
    /** Passes over every trace; each replay figure is the median of the passes'. */
    readonly replayPasses: number;
    readonly replays: readonly ReplayResult[];
    readonly transforms: readonly TransformResult[];
    readonly transformPairs: number;
    readonly keystroke: KeystrokeResult;
    readonly memory: MemoryResult;
    readonly bars: readonly Bar[];
    readonly seconds: number;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function int(n: number): string {
    return integer.format(n);
}

function ratio(n: number): string {
    return `${n >= 10 ? n.toFixed(1) : n.toFixed(2)}x`;
}

function mib(bytes: number): string {
    return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** Columns padded to their widest cell; cells that start with a digit right-aligned. */
export function table(rows: readonly (readonly string[])[]): string {
    const widths = rows[0].map((_, c) => Math.max(...rows.map(r => r[c].length)));
    const line = (r: readonly string[]) => r.map((cell, c) => /^\d/.test(cell) ? cell.padStart(widths[c]) : cell.padEnd(widths[c])).join('  ').trimEnd();
    return [line(rows[0]), widths.map(w => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function replaySection(results: BenchResults): string {
    const rows: string[][] = [['trace', 'implementation', 'ops/s', 'Ensemble ÷ it', 'edits replayed']];
    for (const trace of [...new Set(results.replays.map(r => r.trace))]) {
        const ofTrace = results.replays.filter(r => r.trace === trace);
        const ours = ofTrace.find(r => r.peer === PEERS.ensemble)?.opsPerSecond ?? NaN;
        ofTrace.forEach((r, i) => {
            const capped = r.editsApplied < r.totalEdits;
            rows.push([
                i === 0 ? trace : '',
                r.peer,
                int(r.opsPerSecond),
                r.peer === PEERS.ensemble ? '' : ratio(ours / r.opsPerSecond),
                capped ? `${int(r.editsApplied)} of ${int(r.totalEdits)} (capped at ${results.replayCapSeconds} s)` : `all ${int(r.totalEdits)}, ${r.rounds} round${r.rounds > 1 ? 's' : ''}`,
            ]);
        });
    }
    const passes = results.replayPasses > 1 ? `; the median of ${results.replayPasses} passes over every trace` : '';
    return `1-2. Trace replay (median of rounds after a warm-up, one implementation after the other${passes}; every full replay checked against endContent)\n`
        + '     Ensemble pipeline = OTClient.applyLocal -> DocumentAuthority.receive -> ack to client 1 + apply on client 2, all on RopeTextBuffer\n\n'
        + table(rows) + '\n\n' + ceilingNote(results);
}

/**
 * The pipeline checks and applies each edit on three replicas, so it cannot
 * beat a third of one replica's rate: says where that puts the bar against
 * the peer's single apply.
 */
function ceilingNote(results: BenchResults): string {
    const lines = ['     One replica vs ot-text-unicode+jumprope apply (the pipeline, with three, can reach at most a third of it):'];
    for (const trace of [...new Set(results.replays.map(r => r.trace))]) {
        const rate = (peer: string) => results.replays.find(r => r.trace === trace && r.peer === peer)?.opsPerSecond ?? NaN;
        const single = rate(PEERS.ensembleApply) / rate(PEERS.ropeApply);
        lines.push(`     ${trace}: ${ratio(single)}, so the pipeline at most ${ratio(single / 3)}; measured ${ratio(rate(PEERS.ensemble) / rate(PEERS.ropeApply))}`);
    }
    return lines.join('\n');
}

function transformSection(results: BenchResults): string {
    const ours = results.transforms[0].pairsPerSecond;
    const rows = [['implementation', 'pairs/s', 'Ensemble ÷ it']];
    results.transforms.forEach((t, i) => rows.push([t.name, int(t.pairsPerSecond), i === 0 ? '' : ratio(ours / t.pairsPerSecond)]));
    return `3. Transform throughput (${int(results.transformPairs)} concurrent pairs from the traces, each transformed both ways)\n\n${table(rows)}`;
}

function keystrokeSection(results: BenchResults): string {
    const k = results.keystroke;
    const us = (n: number) => `${n.toFixed(2)} µs`;
    const rows = [['implementation', 'samples', 'p50', 'p99', 'max']];
    for (const r of [k.ensemble, k.peer]) {
        rows.push([r.name, int(r.samples), us(r.p50), us(r.p99), us(r.max)]);
    }
    rows.push(['Ensemble ÷ ot-text-unicode+jumprope (time)', '', ratio(k.ensemble.p50 / k.peer.p50), ratio(k.ensemble.p99 / k.peer.p99), '']);
    return `4. Keystroke apply latency on a ${mib(k.documentLength)} document (${int(k.documentLength)} code units of ASCII text), seeded 1-char inserts/deletes\n\n${table(rows)}`;
}

function memorySection(results: BenchResults): string {
    const m = results.memory;
    const allowance = 3 * m.documentBytes + m.logMaxBytes;
    const rows = [
        ['what', 'heap', 'x document', 'note'],
        ['DocumentAuthority (RopeTextBuffer + full log)', mib(m.authorityBytes), ratio(m.authorityBytes / m.documentBytes),
            `log ${int(m.logOps)} ops / ${mib(m.logBytes)} (bound ${int(m.logMaxOps)} ops / ${mib(m.logMaxBytes)})`],
        ['jumprope holding the same text (peer)', mib(m.jumpropeBytes), ratio(m.jumpropeBytes / m.documentBytes), ''],
        ['allowance: 3x document + log bound', mib(allowance), ratio(allowance / m.documentBytes), `authority uses ${ratio(m.authorityBytes / allowance)} of it`],
    ];
    return `5. Authority memory for a ${mib(m.documentBytes)} document (heap + ArrayBuffer growth after gc)\n\n${table(rows)}`;
}

function barsSection(bars: readonly Bar[]): string {
    const rows = [['', 'bar', 'measured', 'needed']];
    for (const b of bars) {
        const value = b.unit === 'x' ? ratio(b.value) : `${b.value.toFixed(4)} ${b.unit}`;
        const needed = `${b.kind === 'min' ? '>=' : '<'} ${b.unit === 'x' ? ratio(b.threshold) : `${b.threshold} ${b.unit}`}`;
        rows.push([b.pass ? 'PASS' : 'FAIL', b.name, value, needed]);
    }
    const failed = bars.filter(b => !b.pass).length;
    return `Bars (issue 2)\n\n${table(rows)}\n\n${bars.length - failed} passed, ${failed} failed`;
}

export function formatReport(results: BenchResults): string {
    const e = results.environment;
    return [
        `Ensemble OT benchmarks — node ${e.node}, ${e.cpus} x ${e.cpuModel}, ${e.date}\n`
            + `load average ${e.loadAverage[0].toFixed(1)} at start, ${e.loadAverage[1].toFixed(1)} at end`
            + (Math.max(...e.loadAverage) > e.cpus ? ` — above ${e.cpus} CPUs: other processes competed, figures are noisy` : ''),
        replaySection(results),
        transformSection(results),
        keystrokeSection(results),
        memorySection(results),
        barsSection(results.bars),
        `Total ${results.seconds.toFixed(0)} s`,
    ].join('\n\n');
}
