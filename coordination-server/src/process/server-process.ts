import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';

/** `ensemble-server` running as a process of its own. */
export interface ServerProcess {
    readonly url: string;
    readonly child: ChildProcess;
    /** SIGKILL: the process dies without any cleanup, as in a crash. */
    kill(): Promise<void>;
    /** SIGTERM: graceful shutdown (rooms are told); resolves with the exit code. */
    terminate(): Promise<number | null>;
}

export interface ServerProcessOptions {
    /**
     * The server stops when this process's end of its stdin closes, which
     * happens when this process exits for any reason, even a crash: an
     * embedded server must not outlive the application that started it.
     */
    readonly stopWithParent?: boolean;
    /** How long to wait for the URL (ms). Default 15 000. */
    readonly startTimeoutMs?: number;
}

/**
 * The CLI's path, found through the package rather than from this file:
 * this code may run inside an application's bundle, far from the package.
 * (The name in a variable keeps bundlers from trying to bundle the file.)
 */
function cliPath(): string {
    const manifest = '@ensemble/coordination-server/package.json';
    try {
        return join(dirname(require.resolve(manifest)), 'bin', 'ensemble-server.js');
    } catch {
        return join(__dirname, '..', '..', 'bin', 'ensemble-server.js');
    }
}

/** Runs `ensemble-server` with `args` as a separate process and resolves with the URL it prints once it listens. */
export function startServerProcess(args: readonly string[], env: NodeJS.ProcessEnv, options: ServerProcessOptions = {}): Promise<ServerProcess> {
    const child = spawn(process.execPath, [cliPath(), ...args], {
        env: {
            ...process.env, ENSEMBLE_LOG_LEVEL: 'warn', ...env,
            // Under Electron, process.execPath is the Electron binary: make it behave as Node.
            ELECTRON_RUN_AS_NODE: '1',
            ...(options.stopWithParent ? { ENSEMBLE_STOP_WITH_STDIN: '1' } : {})
        },
        stdio: ['pipe', 'pipe', 'pipe']
    });
    let output = '';
    const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`ensemble-server did not start:\n${output}`)); }, options.startTimeoutMs ?? 15_000);
        let started = false;
        const onData = (chunk: Buffer): void => {
            output += chunk.toString();
            const match = /listening on (http:\/\/\S+)/.exec(output);
            if (match && !started) {
                started = true;
                clearTimeout(timer);
                resolve({
                    url: match[1],
                    child,
                    kill: async () => { child.kill('SIGKILL'); await exited; },
                    terminate: async () => { child.kill('SIGTERM'); return exited; }
                });
            }
        };
        child.stdout?.on('data', onData);
        child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
        child.once('error', error => { clearTimeout(timer); reject(error); });
        void exited.then(code => { clearTimeout(timer); reject(new Error(`ensemble-server exited with ${code}:\n${output.trim()}`)); });
    });
}
