/**
 * What the benchmark installs in each page:
 * `window.__ensembleBench`. The functions here run in the browser (passed to
 * page.evaluate), so they are self-contained and use only page globals.
 */

/** One remote change seen in this page's model, with when it arrived and the frame after it. */
export interface ObservedChange {
    /** performance.timeOrigin + performance.now() in onDidChangeContent. */
    readonly at: number;
    /** The next animation frame after the change (the earliest the editor can show it). */
    frame?: number;
    readonly text: string;
    readonly removed: number;
}

export interface PingSample {
    readonly rtt: number;
    /** The handler's clock minus the midpoint of the requester's send and receive. */
    readonly skew: number;
}

export interface PageBench {
    /** Keydown times (capture phase, window) of `x` and Backspace. */
    readonly keydowns: number[];
    readonly changes: ObservedChange[];
    attach(path: string): { ok: boolean; length: number; state: string };
    documentState(path: string): { state: string; length: number; hash: string } | undefined;
    waitForChanges(count: number, timeoutMs: number): Promise<boolean>;
    ping(count: number, target: { type: 'host' } | { type: 'peer'; peer: string }, gapMs: number): Promise<PingSample[]>;
    readonly peerId: string | undefined;
    /** Main-thread tasks over 50 ms (PerformanceObserver 'longtask'), start on the timeOrigin clock. */
    readonly longTasks: Array<{ start: number; duration: number }>;
    /** performance.memory.usedJSHeapSize (Chromium), bytes. */
    heapUsed(): number;
}

/** Installed with page.evaluate; returns this page's peer id. Uses only the app's read-only `window.ensembleEditorSync`. */
export function installPageBench(): string | undefined {
    interface Diagnostics {
        readonly peerId: string | undefined;
        summaries(): Array<{ path: string; state: string; length: number; hash: string }>;
        watchDocument(path: string, listener: (change: { text: string; removed: number }) => void): { dispose(): void } | undefined;
        ping(target: { type: 'host' } | { type: 'peer'; peer: string }): Promise<PingSample>;
    }
    const globals = globalThis as unknown as { ensembleEditorSync?: Diagnostics; __ensembleBench?: unknown };
    const diagnostics = globals.ensembleEditorSync;
    if (!diagnostics || typeof diagnostics.watchDocument !== 'function' || typeof diagnostics.ping !== 'function') {
        throw new Error('window.ensembleEditorSync (with watchDocument and ping) is not there: rebuild the browser app');
    }
    const now = (): number => performance.timeOrigin + performance.now();

    const keydowns: number[] = [];
    const changes: ObservedChange[] = [];
    let waiters: Array<{ count: number; resolve: (ok: boolean) => void }> = [];
    window.addEventListener('keydown', event => {
        if (event.key === 'x' || event.key === 'Backspace') {
            keydowns.push(now());
        }
    }, true);
    let subscription: { dispose(): void } | undefined;
    const longTasks: Array<{ start: number; duration: number }> = [];
    new PerformanceObserver(list => {
        for (const entry of list.getEntries()) {
            longTasks.push({ start: performance.timeOrigin + entry.startTime, duration: entry.duration });
        }
    }).observe({ type: 'longtask', buffered: false });

    const bench = {
        keydowns,
        changes,
        longTasks,
        heapUsed: (): number => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? -1,
        get peerId(): string | undefined { return diagnostics.peerId; },
        attach(path: string): { ok: boolean; length: number; state: string } {
            subscription?.dispose();
            subscription = diagnostics.watchDocument(path, change => {
                const entry: ObservedChange = { at: now(), text: change.text, removed: change.removed };
                changes.push(entry);
                requestAnimationFrame(() => { entry.frame = now(); });
                const ready = waiters.filter(w => changes.length >= w.count);
                waiters = waiters.filter(w => changes.length < w.count);
                ready.forEach(w => w.resolve(true));
            });
            const summary = diagnostics.summaries().find(doc => doc.path === path);
            return subscription && summary ? { ok: true, length: summary.length, state: summary.state } : { ok: false, length: -1, state: 'none' };
        },
        documentState(path: string): { state: string; length: number; hash: string } | undefined {
            const summary = diagnostics.summaries().find(doc => doc.path === path);
            return summary && { state: summary.state, length: summary.length, hash: summary.hash };
        },
        waitForChanges(count: number, timeoutMs: number): Promise<boolean> {
            if (changes.length >= count) {
                return Promise.resolve(true);
            }
            return new Promise<boolean>(resolve => {
                const waiter = { count, resolve };
                waiters.push(waiter);
                setTimeout(() => {
                    waiters = waiters.filter(w => w !== waiter);
                    resolve(false);
                }, timeoutMs);
            });
        },
        async ping(count: number, target: { type: 'host' } | { type: 'peer'; peer: string }, gapMs: number): Promise<PingSample[]> {
            const samples: PingSample[] = [];
            for (let i = 0; i < count; i++) {
                samples.push(await diagnostics.ping(target));
                await new Promise(resolve => setTimeout(resolve, gapMs + Math.random() * gapMs));
            }
            return samples;
        }
    };
    globals.__ensembleBench = bench;
    return bench.peerId;
}
