/**
 * Everything a test run starts (apps, browsers, temp folders) registers its
 * disposer here, so that `disposeAll()` in an `after` hook stops all of it
 * even when a test failed half-way, in reverse order of creation. Process
 * groups are also killed synchronously when the Node process exits, in case
 * mocha is interrupted before its hooks run.
 */
export class Cleanup {
    private readonly disposers: Array<{ readonly what: string; readonly dispose: () => unknown }> = [];

    add(what: string, dispose: () => unknown): void {
        this.disposers.push({ what, dispose });
    }

    /** Runs every disposer (newest first), even if some throw; reports the failures together at the end. */
    async disposeAll(): Promise<void> {
        const failures: string[] = [];
        for (const { what, dispose } of this.disposers.splice(0).reverse()) {
            try {
                await dispose();
            } catch (error) {
                failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
            }
        }
        if (failures.length > 0) {
            throw new Error(`Cleanup failed for ${failures.join('; ')}`);
        }
    }
}

const groupsToKillOnExit = new Set<number>();
let exitHookInstalled = false;

/** Remembers a process group this run started, to be SIGKILLed if the run exits without stopping it. */
export function killGroupOnExit(pid: number): () => void {
    groupsToKillOnExit.add(pid);
    if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.on('exit', () => {
            for (const group of groupsToKillOnExit) {
                try {
                    process.kill(-group, 'SIGKILL');
                } catch {
                    // already gone
                }
            }
        });
    }
    return () => { groupsToKillOnExit.delete(pid); };
}
