import { writeFileSync } from 'node:fs';
import type { CDPSession } from 'playwright-core';
import type { TheiaPage } from '../e2e/harness';

/** Opt-in (ENSEMBLE_BENCH_PROFILE=1): a V8 CPU profile of a page during a measurement. Profiling slows the page; figures of such a run are not the bench's. */
export class PageProfiler {
    private constructor(private readonly cdp: CDPSession) { }

    static async start(page: TheiaPage): Promise<PageProfiler> {
        const cdp = await page.context.newCDPSession(page.page);
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
        await cdp.send('Profiler.start');
        return new PageProfiler(cdp);
    }

    /** Stops, writes the .cpuprofile (open it in DevTools) and returns the top self-time functions as text lines. */
    async stop(file: string, top = 15): Promise<string[]> {
        const { profile } = await this.cdp.send('Profiler.stop');
        await this.cdp.detach().catch(() => undefined);
        writeFileSync(file, JSON.stringify(profile));
        const totalUs = profile.endTime - profile.startTime;
        const selfUs = new Map<number, number>();
        const deltas = profile.timeDeltas ?? [];
        (profile.samples ?? []).forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i + 1] ?? 0)));
        const byFunction = new Map<string, number>();
        for (const node of profile.nodes) {
            const frame = node.callFrame;
            const key = `${frame.functionName || '(anonymous)'} ${frame.url ? `${frame.url.split('/').pop()}:${frame.lineNumber + 1}:${frame.columnNumber + 1}` : ''}`.trim();
            byFunction.set(key, (byFunction.get(key) ?? 0) + (selfUs.get(node.id) ?? 0));
        }
        return [...byFunction.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)
            .map(([key, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms ${(100 * us / totalUs).toFixed(1).padStart(5)}%  ${key}`);
    }
}
