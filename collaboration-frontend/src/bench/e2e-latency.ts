import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { artifactsDir, Cleanup, makeTempWorkspace, startTheiaApp, TheiaPage, UI_TIMEOUT_MS } from '../e2e/harness';
import { PageProfiler } from './profile';
import { installPageBench, type ObservedChange, type PageBench, type PingSample } from './page-bench';

/**
 * `npm run bench:e2e`: keystroke-to-remote-display latency between two
 * browsers (host and guest, each a real browser app in headless Chromium) on
 * loopback, for a 1 KB and a 10 MB document, against the bare round trip of
 * the same socket (a request from one page to the other through the
 * coordination server, on the page's own CollaborationSession) measured in
 * the same run, interleaved with the keystrokes.
 *
 * A sample: page A presses `x` (or Backspace, to keep the size) at the start
 * of the document; A's capture-phase keydown listener stamps the time, B's
 * model.onDidChangeContent stamps the arrival (and the next animation frame,
 * the earliest the editor can paint it). Both stamps are
 * performance.timeOrigin + performance.now() on the same machine; the skew
 * between the pages is estimated from the pings (handler time minus the
 * requester's midpoint) and reported.
 */

const ROUNDS = Number(process.env.ENSEMBLE_BENCH_ROUNDS ?? 6);
const KEYS_PER_ROUND = Number(process.env.ENSEMBLE_BENCH_KEYS ?? 20);      // per direction and round
const PINGS_PER_ROUND = Number(process.env.ENSEMBLE_BENCH_PINGS ?? 20);    // per direction and round
const WARMUP_KEYS = 10;
const FRAME_MS = 16;
const BIG_BYTES = 10 * 1024 * 1024;
/** ENSEMBLE_BENCH_PROFILE=1: CPU-profile both pages during each size's measurement (slows them: diagnosis only). */
/**
 * ENSEMBLE_BENCH_AUTOSAVE=off: both apps with `files.autoSave: off` (diagnosis only: Theia's auto-save writes the
 * whole file in the host's backend, which also runs the embedded coordination server, after every pause in typing).
 */
const AUTOSAVE_SETTINGS: Record<string, string> = process.env.ENSEMBLE_BENCH_AUTOSAVE === 'off' ? { 'files.autoSave': 'off' } : {};
const PROFILE = process.env.ENSEMBLE_BENCH_PROFILE === '1';

interface Stats { readonly n: number; readonly p50: number; readonly p99: number; readonly mean: number; readonly max: number }

function stats(values: readonly number[]): Stats {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
    return { n: sorted.length, p50: at(0.5), p99: at(0.99), mean: sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length), max: sorted[sorted.length - 1] };
}

function smallText(): string {
    const lines: string[] = [];
    let size = 0;
    for (let i = 0; size < 1024; i++) {
        const line = `line ${i}: the quick brown fox jumps over the lazy dog`;
        lines.push(line);
        size += line.length + 1;
    }
    return lines.join('\n').slice(0, 1023) + '\n';
}

function bigText(): string {
    // 80 bytes a line, code-like (brackets included, as in real source). ENSEMBLE_BENCH_FILLER=plain: no brackets,
    // to tell Monaco's bracket matching over the whole model apart from the sync's own cost.
    const line = process.env.ENSEMBLE_BENCH_FILLER === 'plain'
        ? 'const value is computed from alpha beta and gamma plus 42 and then some filler \n'
        : 'const value = computeSomething(alpha, beta, gamma) + 42; // filler filler fill\n';
    const count = Math.ceil(BIG_BYTES / line.length);
    return line.repeat(count).slice(0, BIG_BYTES - 1) + '\n';
}

function sleep(ms: number): Promise<void> {
    return new Promise(resolve => setTimeout(resolve, ms));
}

interface Peer { readonly name: string; readonly page: TheiaPage; peerId: string }

function editorOf(page: TheiaPage): Locator {
    return page.page.locator('#theia-main-content-panel .monaco-editor:visible').first();
}

async function bench<T>(peer: Peer, fn: (b: PageBench, arg: T) => unknown, arg: T): Promise<unknown> {
    return peer.page.page.evaluate(({ source, a }) => {
        const b = (globalThis as unknown as { __ensembleBench: PageBench }).__ensembleBench;
        // eslint-disable-next-line no-new-func
        return (new Function('b', 'a', `return (${source})(b, a);`))(b, a);
    }, { source: fn.toString(), a: arg });
}

async function documentState(peer: Peer, file: string): Promise<{ state: string; length: number; hash: string } | undefined> {
    return await bench(peer, (b, f: string) => b.documentState(f), file) as { state: string; length: number; hash: string } | undefined;
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
        if (Date.now() > deadline) {
            throw new Error(`timed out waiting until ${what}`);
        }
        await sleep(250);
    }
}

interface DirectionResult { readonly latency: number[]; readonly frame: number[] }

/** One keystroke from `from`, observed in `to`; returns [model latency, frame latency] (ms). */
async function keystroke(from: Peer, to: Peer, key: 'x' | 'Backspace'): Promise<[number, number, number]> {
    const before = await bench(to, b => b.changes.length, null) as number;
    const keysBefore = await bench(from, b => b.keydowns.length, null) as number;
    await from.page.page.keyboard.press(key);
    const arrived = await bench(to, (b, n: number) => b.waitForChanges(n, 10_000), before + 1) as boolean;
    assert.ok(arrived, `${from.name} → ${to.name}: ${key} did not arrive within 10 s`);
    await sleep(25);   // let the frame after the change run
    const change = await bench(to, (b, i: number) => b.changes[i], before) as ObservedChange;
    const keydown = await bench(from, (b, i: number) => b.keydowns[i], keysBefore) as number | undefined;
    assert.ok(keydown !== undefined, `${from.name}: no keydown recorded for ${key}`);
    if (key === 'x') {
        assert.equal(change.text, 'x', `${to.name} saw ${JSON.stringify(change)} for x`);
    } else {
        assert.ok(change.text === '' && change.removed === 1, `${to.name} saw ${JSON.stringify(change)} for Backspace`);
    }
    return [change.at - keydown, (change.frame ?? change.at) - keydown, keydown];
}

async function focusStart(peer: Peer): Promise<void> {
    await editorOf(peer.page).locator('.view-lines').click({ position: { x: 40, y: 5 } });
    await peer.page.page.keyboard.press('Control+Home');
}

interface SizeResult {
    readonly label: string;
    readonly bytes: number;
    readonly guestOpenMs: number;
    readonly keystroke: Record<string, DirectionResult>;
    readonly pings: Record<string, PingSample[]>;
    /** Per page: main-thread tasks over 50 ms during the measurement (warm-up included), and the JS heap at the end. */
    readonly mainThread: Record<string, { readonly longTasks: number; readonly totalMs: number; readonly maxMs: number; readonly heapMB: number }>;
    /** Raw timeline for the JSON (timeOrigin clock, ms): long tasks per page and the recorded keydowns per direction. */
    readonly timeline: { readonly windowStart: number; readonly longTasks: Record<string, Array<{ start: number; duration: number }>>; readonly keydowns: Record<string, number[]> };
}

async function measureSize(label: string, file: string, bytes: number, host: Peer, guest: Peer): Promise<SizeResult> {
    for (const peer of [host, guest]) {
        await peer.page.closeQuickInput();
    }
    await host.page.openFile(file, 60_000);
    const opened = Date.now();
    await guest.page.openFile(file, 60_000);
    let hostState: { state: string; length: number; hash: string } | undefined;
    await eventually(async () => {
        hostState = await documentState(host, file);
        const g = await documentState(guest, file);
        return hostState?.state === 'authority' && !!g && g.state === 'synchronized' && g.length === hostState.length && g.hash === hostState.hash;
    }, `the guest has ${file} (${bytes} bytes) in sync with the host`, 240_000);
    const guestOpenMs = Date.now() - opened;
    console.log(`  ${label}: guest opened ${file} (${hostState?.length} chars) in ${guestOpenMs} ms`);
    for (const peer of [host, guest]) {
        const attached = await bench(peer, (b, f: string) => b.attach(f), file) as { ok: boolean; length: number; state: string };
        assert.ok(attached.ok, `${peer.name}: no model for ${file}`);
        await focusStart(peer);
    }

    const keystrokeResults: Record<string, DirectionResult> = {
        [`${host.name}→${guest.name}`]: { latency: [], frame: [] },
        [`${guest.name}→${host.name}`]: { latency: [], frame: [] }
    };
    const keydowns: Record<string, number[]> = { [`${host.name}→${guest.name}`]: [], [`${guest.name}→${host.name}`]: [] };
    const pings: Record<string, PingSample[]> = { [`${host.name}→${guest.name}`]: [], [`${guest.name}→${host.name}`]: [] };
    const typeBlock = async (from: Peer, to: Peer, count: number, record: boolean): Promise<void> => {
        for (let i = 0; i < count; i++) {
            const [latency, frame, keydown] = await keystroke(from, to, i % 2 === 0 ? 'x' : 'Backspace');
            if (record) {
                keydowns[`${from.name}→${to.name}`].push(keydown);
                keystrokeResults[`${from.name}→${to.name}`].latency.push(latency);
                keystrokeResults[`${from.name}→${to.name}`].frame.push(frame);
            }
            await sleep(20 + Math.random() * 30);
        }
    };
    const pingBlock = async (from: Peer, to: Peer, count: number, record: boolean): Promise<void> => {
        const target = to === host ? { type: 'host' as const } : { type: 'peer' as const, peer: to.peerId };
        const samples = await bench(from, (b, a: { n: number; target: { type: 'host' } | { type: 'peer'; peer: string } }) => b.ping(a.n, a.target, 20), { n: count, target }) as PingSample[];
        if (record) {
            pings[`${from.name}→${to.name}`].push(...samples);
        }
    };
    const profilers = PROFILE ? await Promise.all([host, guest].map(peer => PageProfiler.start(peer.page))) : [];
    const windowStart = Date.now();
    // Warm-up: both directions, not recorded.
    await pingBlock(host, guest, 10, false);
    await pingBlock(guest, host, 10, false);
    await typeBlock(host, guest, WARMUP_KEYS, false);
    await typeBlock(guest, host, WARMUP_KEYS, false);
    for (let round = 0; round < ROUNDS; round++) {
        const [first, second] = round % 2 === 0 ? [host, guest] : [guest, host];
        await pingBlock(first, second, PINGS_PER_ROUND, true);
        await pingBlock(second, first, PINGS_PER_ROUND, true);
        await typeBlock(first, second, KEYS_PER_ROUND, true);
        await typeBlock(second, first, KEYS_PER_ROUND, true);
    }
    for (const [i, profiler] of profilers.entries()) {
        const peer = [host, guest][i];
        mkdirSync(artifactsDir(), { recursive: true });
        const out = path.join(artifactsDir(), `bench-e2e-${peer.name}-${label.replace(/\s+/g, '')}.cpuprofile`);
        const lines = await profiler.stop(out);
        console.log(`  ${label} ${peer.name} CPU profile (${path.basename(out)}), top self time:\n    ${lines.join('\n    ')}`);
    }
    const final = await Promise.all([documentState(host, file), documentState(guest, file)]);
    assert.equal(final[0]?.hash, final[1]?.hash, `${file}: host and guest differ after the run`);
    assert.equal(final[0]?.length, bytes, `${file}: the document size changed during the run`);
    const mainThread: SizeResult['mainThread'] = {};
    const longTasks: Record<string, Array<{ start: number; duration: number }>> = {};
    for (const peer of [host, guest]) {
        const tasks = await bench(peer, (b, since: number) => b.longTasks.filter(t => t.start >= since), windowStart) as Array<{ start: number; duration: number }>;
        longTasks[peer.name] = tasks;
        const heap = await bench(peer, b => b.heapUsed(), null) as number;
        mainThread[peer.name] = {
            longTasks: tasks.length,
            totalMs: Math.round(tasks.reduce((sum, t) => sum + t.duration, 0)),
            maxMs: Math.round(Math.max(0, ...tasks.map(t => t.duration))),
            heapMB: Math.round(heap / 1e5) / 10
        };
    }
    return { label, bytes, guestOpenMs, keystroke: keystrokeResults, pings, mainThread, timeline: { windowStart, longTasks, keydowns } };
}

function fmt(value: number): string {
    return value.toFixed(1).padStart(7);
}

async function main(): Promise<void> {
    const started = Date.now();
    const cleanup = new Cleanup();
    const onSignal = (): void => { void cleanup.disposeAll().finally(() => process.exit(130)); };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
        const files = { 'small-1k.txt': smallText(), 'big-10m.txt': bigText() };
        const hostWs = makeTempWorkspace('bench-e2e-host', files);
        cleanup.add('host workspace', () => hostWs.remove());
        const guestWs = makeTempWorkspace('bench-e2e-guest');
        cleanup.add('guest workspace', () => guestWs.remove());
        const [hostApp, guestApp] = await Promise.all([
            startTheiaApp({ name: 'bench-host', workspace: hostWs.path, settings: { 'collaboration.displayName': 'Hana', 'collaboration.autoAccept': 'read-write', ...AUTOSAVE_SETTINGS } }),
            startTheiaApp({ name: 'bench-guest', workspace: guestWs.path, settings: { 'collaboration.displayName': 'Gus', ...AUTOSAVE_SETTINGS } })
        ]);
        cleanup.add('host app', () => hostApp.stop());
        cleanup.add('guest app', () => guestApp.stop());
        const hostPage = await TheiaPage.open(hostApp.url, { name: 'bench-host' });
        cleanup.add('host browser', () => hostPage.close());
        const guestPage = await TheiaPage.open(guestApp.url, { name: 'bench-guest' });
        cleanup.add('guest browser', () => guestPage.close());

        const mark = await hostPage.notificationMark();
        await hostPage.runCommand('Ensemble: Start Session');
        const text = await hostPage.waitForNotification(/Session started/, { since: mark });
        const link = /(http:\/\/127\.0\.0\.1:\d+\/invite\/[A-Z0-9-]+)/.exec(text)?.[1];
        assert.ok(link, `an invite link in: ${text}`);
        await guestPage.runCommand('Ensemble: Join Session');
        await guestPage.answerQuickInput(link, { expectTitle: /Join Session/ });
        await guestPage.waitForStatusBarText('ensemble-session', /^\s*Joined\s*$/, UI_TIMEOUT_MS);

        const host: Peer = { name: 'host', page: hostPage, peerId: '' };
        const guest: Peer = { name: 'guest', page: guestPage, peerId: '' };
        for (const peer of [host, guest]) {
            const peerId = await peer.page.page.evaluate(installPageBench);
            assert.ok(peerId, `${peer.name}: no peer id`);
            peer.peerId = peerId;
        }
        console.log(`ensemble bench:e2e — host + guest browser apps, headless Chromium, loopback; ${ROUNDS} rounds × ${KEYS_PER_ROUND} keys and ${PINGS_PER_ROUND} pings per direction`);
        console.log(`  setup ${Date.now() - started} ms`);

        const results: SizeResult[] = [];
        results.push(await measureSize('1 KB', 'small-1k.txt', Buffer.byteLength(files['small-1k.txt']), host, guest));
        results.push(await measureSize('10 MB', 'big-10m.txt', Buffer.byteLength(files['big-10m.txt']), host, guest));

        // ---- report ----------------------------------------------------------------------------
        const rows = results.map(result => {
            const latency = Object.values(result.keystroke).flatMap(d => d.latency);
            const frame = Object.values(result.keystroke).flatMap(d => d.frame);
            const pingSamples = Object.values(result.pings).flat();
            const key = stats(latency);
            const shown = stats(frame);
            const rtt = stats(pingSamples.map(p => p.rtt));
            const skew = stats(pingSamples.map(p => p.skew));
            const p50Bar = 2 * (rtt.p50 + FRAME_MS);
            const p99Bar = 3 * (rtt.p99 + FRAME_MS);
            const directions = Object.fromEntries(Object.entries(result.keystroke).map(([dir, d]) => [dir, { model: stats(d.latency), frame: stats(d.frame) }]));
            const pingDirections = Object.fromEntries(Object.entries(result.pings).map(([dir, p]) => [dir, stats(p.map(s => s.rtt))]));
            return {
                size: result.label, bytes: result.bytes, guestOpenMs: result.guestOpenMs, mainThread: result.mainThread,
                keystroke: key, keystrokeNextFrame: shown, peerRtt: rtt, clockSkew: skew, directions, pingDirections,
                ratioP50: key.p50 / (rtt.p50 + FRAME_MS), ratioP99: key.p99 / (rtt.p99 + FRAME_MS),
                barP50Ms: p50Bar, barP99Ms: p99Bar,
                passP50: key.p50 <= p50Bar, passP99: key.p99 <= p99Bar
            };
        });
        const sizeDiffP99 = rows[1].keystroke.p99 - rows[0].keystroke.p99;
        const passSize = sizeDiffP99 <= 5;

        console.log('');
        console.log('keystroke → remote model change (ms), peer = request/response through the coordination server between the same two pages (ms)');
        console.log('size   | n   | key p50 | key p99 | frame p50 | frame p99 | rtt p50 | rtt p99 | p50/(rtt+16) | p99/(rtt+16) | p50 ≤ 2x | p99 ≤ 3x');
        for (const row of rows) {
            console.log(`${row.size.padEnd(6)} | ${String(row.keystroke.n).padEnd(3)} | ${fmt(row.keystroke.p50)} | ${fmt(row.keystroke.p99)} | ${fmt(row.keystrokeNextFrame.p50)}   | ${fmt(row.keystrokeNextFrame.p99)}   |`
                + ` ${fmt(row.peerRtt.p50)} | ${fmt(row.peerRtt.p99)} | ${row.ratioP50.toFixed(2).padStart(12)} | ${row.ratioP99.toFixed(2).padStart(12)} |`
                + ` ${row.passP50 ? 'PASS' : 'FAIL'} (≤${row.barP50Ms.toFixed(1)}) | ${row.passP99 ? 'PASS' : 'FAIL'} (≤${row.barP99Ms.toFixed(1)})`);
        }
        console.log('');
        console.log('per direction (keystroke p50/p99 | ping rtt p50/p99):');
        for (const row of rows) {
            for (const [dir, d] of Object.entries(row.directions)) {
                const ping = row.pingDirections[dir];
                console.log(`  ${row.size.padEnd(6)} ${dir.padEnd(12)} key ${fmt(d.model.p50)} /${fmt(d.model.p99)} | rtt ${fmt(ping.p50)} /${fmt(ping.p99)}  (n ${d.model.n} / ${ping.n})`);
            }
        }
        for (const row of rows) {
            console.log(`main thread during ${row.size} (tasks > 50 ms): ${Object.entries(row.mainThread)
                .map(([name, m]) => `${name} ${m.longTasks} tasks, ${m.totalMs} ms total, max ${m.maxMs} ms, heap ${m.heapMB} MB`).join('; ')}`);
        }
        const cleanRtt = rows[0].peerRtt;
        console.log(`10 MB against the 1 KB run's peer RTT (${cleanRtt.p50.toFixed(1)} / ${cleanRtt.p99.toFixed(1)} ms): `
            + `p50 ${(rows[1].keystroke.p50 / (cleanRtt.p50 + FRAME_MS)).toFixed(2)}x, p99 ${(rows[1].keystroke.p99 / (cleanRtt.p99 + FRAME_MS)).toFixed(2)}x of (rtt + 16 ms)`);
        console.log(`clock skew between the pages (handler time − requester midpoint): p50 ${rows.map(r => r.clockSkew.p50.toFixed(2)).join(' / ')} ms (1 KB / 10 MB); one-way figures use timeOrigin clocks directly`);
        console.log(`10 MB vs 1 KB at p99: ${sizeDiffP99 >= 0 ? '+' : ''}${sizeDiffP99.toFixed(1)} ms (bar ≤ 5 ms): ${passSize ? 'PASS' : 'FAIL'}`);
        const allPass = rows.every(r => r.passP50 && r.passP99) && passSize;
        console.log(`overall: ${allPass ? 'PASS' : 'FAIL'}; took ${((Date.now() - started) / 1000).toFixed(1)} s`);

        const out = artifactsDir();
        mkdirSync(out, { recursive: true });
        const file = path.join(out, 'bench-e2e.json');
        writeFileSync(file, JSON.stringify({
            when: new Date().toISOString(), frameMs: FRAME_MS, rounds: ROUNDS, keysPerRound: KEYS_PER_ROUND, pingsPerRound: PINGS_PER_ROUND,
            rows, sizeDiffP99Ms: sizeDiffP99, passSize, allPass,
            raw: results.map(r => ({ size: r.label, keystroke: r.keystroke, pings: r.pings, timeline: r.timeline }))
        }, null, 2));
        console.log(`wrote ${path.relative(process.cwd(), file)}`);
    } finally {
        await cleanup.disposeAll();
    }
}

main().then(() => process.exit(0), error => {
    console.error(error instanceof Error ? error.stack ?? error.message : error);
    process.exit(1);
});
