import { readFileSync } from 'node:fs';

/** Linux reports CPU times in clock ticks; 100 per second on every common configuration. */
const TICKS_PER_SECOND = 100;

/**
 * Measures how much CPU the processes *other* than the bench's own (the
 * client process and both servers) used during a measurement, from
 * /proc/stat and /proc/<pid>/stat. On a shared machine, a measurement during
 * which someone else's build or browser took the cores measures them, not
 * the relay: the bench redoes such rounds. Not available (undefined) off Linux.
 */
export class ForeignLoad {
    private constructor(private readonly pids: readonly number[]) { }

    static watch(pids: readonly number[]): ForeignLoad | undefined {
        try {
            readFileSync('/proc/stat', 'utf8');
            return new ForeignLoad(pids);
        } catch {
            return undefined;
        }
    }

    /** Starts a measurement; the returned function gives the other processes' average CPU use since, in cores. */
    start(): () => number {
        const before = this.sample();
        const started = performance.now();
        return () => {
            const after = this.sample();
            const seconds = (performance.now() - started) / 1000;
            const foreignTicks = (after.machine - before.machine) - (after.ours - before.ours);
            return Math.max(0, foreignTicks / TICKS_PER_SECOND / seconds);
        };
    }

    private sample(): { machine: number; ours: number } {
        // cpu  user nice system idle iowait irq softirq steal ...: busy = all but idle and iowait.
        const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
        const machine = fields.reduce((sum, value, index) => index === 3 || index === 4 ? sum : sum + value, 0);
        let ours = 0;
        for (const pid of this.pids) {
            try {
                // The command name (field 2) may contain spaces: count from the closing parenthesis; utime and stime are fields 14 and 15.
                const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
                const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
                ours += Number(rest[11]) + Number(rest[12]);
            } catch {
                // the process is gone: it uses no CPU any more
            }
        }
        return { machine, ours };
    }
}
