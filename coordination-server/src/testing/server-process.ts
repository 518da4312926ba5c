import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface ServerProcess {
    readonly url: string;
    readonly child: ChildProcess;
    /** SIGKILL: the process dies without any cleanup, as in a crash. */
    kill(): Promise<void>;
    /** SIGTERM: graceful shutdown; resolves with the exit code. */
    terminate(): Promise<number | null>;
}

const CLI = join(__dirname, '..', '..', 'bin', 'ensemble-server.js');

/** Runs `ensemble-server` as a separate process and waits for the URL it prints. */
export function startServerProcess(args: readonly string[], env: NodeJS.ProcessEnv): Promise<ServerProcess> {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ENSEMBLE_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`ensemble-server did not start:\n${output}`)); }, 15_000);
        const onData = (chunk: Buffer): void => {
            output += chunk.toString();
            const match = /listening on (http:\/\/\S+)/.exec(output);
            if (match) {
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
        void exited.then(code => { clearTimeout(timer); reject(new Error(`ensemble-server exited with ${code}:\n${output}`)); });
    });
}
