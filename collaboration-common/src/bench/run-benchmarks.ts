import { cpus, loadavg } from 'os';
import { readdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { RopeTextBuffer } from '../ot/rope-text-buffer';
import { evaluateBars, PEERS } from './bars';
import { hasExposedGc, now, secondsBetween } from './clock';
import { bigDocument, measureKeystrokes } from './keystroke-bench';
import { measureMemory } from './memory-bench';
import { ensemblePipeline, ensembleSingleApply } from './peers/ensemble-pipeline';
import { otTextUnicodeOverJumprope } from './peers/jumprope-rope';
import { otJsPipeline } from './peers/ot-js';
import { otTextUnicodeApply, otTextUnicodeOnString, otTextUnicodePipeline } from './peers/ot-text-unicode';
import { loadYjs, yjsPipeline } from './peers/yjs';
import { combinePasses, measureReplays, ReplayPeer, ReplayResult } from './replay';
import { BenchResults, formatReport } from './report';
import { loadTrace, Trace } from './trace';
import { measureTransforms } from './transform-bench';

/** The traces of issue 2: ../shared/traces next to the repository, or ENSEMBLE_TRACES. */
const TRACE_DIR = process.env.ENSEMBLE_TRACES ?? join(__dirname, '../../../../shared/traces');
const RESULTS_FILE = join(__dirname, '../../bench-results.json');
const CAP_SECONDS = 20;
const MB = 2 ** 20;

/**
 * Passes over every trace (ENSEMBLE_BENCH_PASSES, default 1); the figures are
 * the medians of the passes. On a machine whose load comes and goes, one
 * pass's ratios move by tens of percent; three or five steady them.
 */
function passesFromEnvironment(): number {
    const value = process.env.ENSEMBLE_BENCH_PASSES ?? '1';
    const passes = Number(value);
    if (!Number.isInteger(passes) || passes < 1 || passes > 100) {
        throw new Error(`ENSEMBLE_BENCH_PASSES must be an integer from 1 to 100, got '${value}'`);
    }
    return passes;
}

function loadTraces(): Trace[] {
    return readdirSync(TRACE_DIR).filter(f => f.endsWith('.json.gz')).sort().map(f => loadTrace(join(TRACE_DIR, f)));
}

async function replayPeers(): Promise<ReplayPeer[]> {
    const Y = await loadYjs();
    const jumpropeType = (trace: Trace) => otTextUnicodeOverJumprope(trace.bmpOnly);
    return [
        // The peers of the bars right after Ensemble, so that load changes on a
        // shared machine shift the figures of a bar together.
        ensemblePipeline(PEERS.ensemble, text => new RopeTextBuffer(text)),
        otTextUnicodeApply(PEERS.ropeApply, jumpropeType),
        ensembleSingleApply(PEERS.ensembleApply, text => new RopeTextBuffer(text)),
        yjsPipeline(PEERS.yjs, Y),
        otTextUnicodePipeline(PEERS.ropePipeline, jumpropeType),
        otJsPipeline(PEERS.otJs),
        otTextUnicodeApply(PEERS.stringApply, otTextUnicodeOnString),
    ];
}

function progress(message: string): void {
    process.stderr.write(`[bench] ${message}\n`);
}

async function main(): Promise<void> {
    const started = now();
    const loadAtStart = loadavg()[0];
    if (!hasExposedGc()) {
        progress('warning: run with node --expose-gc (npm run bench does): without it memory figures are unreliable');
    }
    const replayPasses = passesFromEnvironment();
    const traces = loadTraces();
    const peers = await replayPeers();

    const passes: ReplayResult[][] = [];
    for (let pass = 1; pass <= replayPasses; pass++) {
        const results: ReplayResult[] = [];
        for (const trace of traces) {
            progress(`replaying ${trace.name} (${trace.edits.length} edits)${replayPasses > 1 ? `, pass ${pass} of ${replayPasses}` : ''}`);
            results.push(...measureReplays(trace, peers, { warmUpSeconds: 1.5, rounds: 5, budgetSeconds: 2, capSeconds: CAP_SECONDS, uncapped: new Set([PEERS.ensemble, PEERS.ensembleApply]) }));
        }
        passes.push(results);
    }
    const replays = combinePasses(passes);

    progress('transform');
    const transformPairs = 100_000;
    const transforms = measureTransforms(traces, transformPairs, 5);

    const sample = traces.map(t => t.endContent).join('\n');
    progress('keystrokes on 100 MB');
    const keystroke = measureKeystrokes(bigDocument(sample, 100 * MB), 20_000, 2_000);

    progress('memory of 10 MB');
    const memory = measureMemory(() => bigDocument(sample, 10 * MB), traces.reduce((a, b) => a.edits.length > b.edits.length ? a : b));

    const results: BenchResults = {
        environment: {
            node: process.version,
            cpus: cpus().length,
            cpuModel: cpus()[0]?.model ?? 'unknown CPU',
            date: new Date().toISOString(),
            loadAverage: [loadAtStart, loadavg()[0]],
        },
        replayCapSeconds: CAP_SECONDS,
        replayPasses,
        replays,
        transforms,
        transformPairs,
        keystroke,
        memory,
        bars: evaluateBars(replays, transforms, keystroke, memory),
        seconds: secondsBetween(started, now()),
    };
    console.log(formatReport(results));
    writeFileSync(RESULTS_FILE, JSON.stringify(results, null, 2) + '\n');
    progress(`results written to ${RESULTS_FILE}`);
}

main().catch(error => {
    console.error(error);
    process.exitCode = 1;
});
