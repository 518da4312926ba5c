/**
 * What the benchmark installs in each page (after `installBenchHook`):
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
    documentState(path: string): { state: string; length: number; hash: number } | undefined;
    waitForChanges(count: number, timeoutMs: number): Promise<boolean>;
    ping(count: number, target: { type: 'host' } | { type: 'peer'; peer: string }, gapMs: number): Promise<PingSample[]>;
    readonly peerId: string | undefined;
    /** Main-thread tasks over 50 ms (PerformanceObserver 'longtask'), start on the timeOrigin clock. */
    readonly longTasks: Array<{ start: number; duration: number }>;
    /** performance.memory.usedJSHeapSize (Chromium), bytes. */
    heapUsed(): number;
}

/** Installed with page.evaluate; returns this page's peer id. */
export function installPageBench(): string | undefined {
    interface Model {
        onDidChangeContent(listener: (event: { changes: Array<{ text: string; rangeLength: number }> }) => void): { dispose(): void };
        getValueLength(): number;
        getValue(): string;
        getLineCount(): number;
        getLineContent(line: number): string;
    }
    interface Session {
        readonly peerId: string | undefined;
        onRequest(definition: unknown, handler: (params: unknown) => unknown): { dispose(): void };
        sendRequest(definition: unknown, params: unknown, target: unknown, options?: unknown): Promise<{ t: number }>;
    }
    interface HostDoc { target: { path: string }; model: Model }
    interface GuestDoc { target: { path: string }; state: string; binding?: { model: Model } }
    interface Contribution {
        sessions: { session: Session | undefined };
        host: { documents?: Map<unknown, HostDoc> };
        guest: { documents: readonly GuestDoc[] };
    }
    const globals = globalThis as unknown as { __ensembleBenchContribution: Contribution; __ensembleBench?: unknown };
    const contribution = globals.__ensembleBenchContribution;
    const now = (): number => performance.timeOrigin + performance.now();
    const PING = {
        kind: 'request', method: 'bench/ping',
        params: { type: 'object' },
        result: { type: 'object', properties: { t: { type: 'number' } }, required: ['t'] }
    };
    const session = (): Session => {
        const s = contribution.sessions.session;
        if (!s) {
            throw new Error('no session');
        }
        return s;
    };
    session().onRequest(PING, () => ({ t: now() }));

    const findModel = (path: string): { model: Model; state: string } | undefined => {
        for (const doc of contribution.host.documents?.values() ?? []) {
            if (doc.target.path === path) {
                return { model: doc.model, state: 'authority' };
            }
        }
        const guestDoc = contribution.guest.documents.find(doc => doc.target.path === path);
        return guestDoc?.binding ? { model: guestDoc.binding.model, state: guestDoc.state } : undefined;
    };

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
        get peerId(): string | undefined { return contribution.sessions.session?.peerId; },
        attach(path: string): { ok: boolean; length: number; state: string } {
            subscription?.dispose();
            subscription = undefined;
            const found = findModel(path);
            if (!found) {
                return { ok: false, length: -1, state: 'none' };
            }
            subscription = found.model.onDidChangeContent(event => {
                const entry: ObservedChange = {
                    at: now(),
                    text: event.changes.map(c => c.text).join(''),
                    removed: event.changes.reduce((sum, c) => sum + c.rangeLength, 0)
                };
                changes.push(entry);
                requestAnimationFrame(() => { entry.frame = now(); });
                const ready = waiters.filter(w => changes.length >= w.count);
                waiters = waiters.filter(w => changes.length < w.count);
                ready.forEach(w => w.resolve(true));
            });
            return { ok: true, length: found.model.getValueLength(), state: found.state };
        },
        documentState(path: string): { state: string; length: number; hash: number } | undefined {
            const found = findModel(path);
            if (!found) {
                return undefined;
            }
            // A cheap fingerprint: length plus a hash of the first and last 64 lines.
            const lines = found.model.getLineCount();
            let hash = 0;
            const take = (line: number): void => {
                const text = found.model.getLineContent(line);
                for (let i = 0; i < text.length; i++) {
                    hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
                }
            };
            for (let line = 1; line <= Math.min(64, lines); line++) {
                take(line);
            }
            for (let line = Math.max(65, lines - 63); line <= lines; line++) {
                take(line);
            }
            return { state: found.state, length: found.model.getValueLength(), hash };
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
                const t0 = now();
                const reply = await session().sendRequest(PING, {}, target, { timeoutMs: 10_000 });
                const t1 = now();
                samples.push({ rtt: t1 - t0, skew: reply.t - (t0 + t1) / 2 });
                await new Promise(resolve => setTimeout(resolve, gapMs + Math.random() * gapMs));
            }
            return samples;
        }
    };
    globals.__ensembleBench = bench;
    return bench.peerId;
}
