import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { killGroupOnExit } from './cleanup';
import { artifactsDir, browserAppMain } from './paths';
import { makeTempDir, type TempDir } from './temp-dirs';

export interface TheiaAppOptions {
    /** Names the app in logs and artifacts, e.g. `host`. */
    readonly name: string;
    /** Folder opened as the workspace. */
    readonly workspace: string;
    /** User settings (THEIA_CONFIG_DIR/settings.json), e.g. `{ 'collaboration.displayName': 'Hana' }`. */
    readonly settings?: Readonly<Record<string, unknown>>;
    /** Extra environment variables for the backend. */
    readonly env?: Readonly<Record<string, string>>;
    /** How long to wait for the backend to listen (ms). Default 60 000. */
    readonly startTimeoutMs?: number;
}

/** A running browser-app backend on its own port, with its own config dir and home, so settings never leak between apps. */
export interface TheiaApp {
    readonly name: string;
    /** `http://127.0.0.1:<port>` */
    readonly url: string;
    readonly pid: number;
    readonly workspace: string;
    /** THEIA_CONFIG_DIR of this app. */
    readonly configDir: string;
    /** Backend output (stdout and stderr) is also written here. */
    readonly logFile: string;
    /** Stops the backend's whole process group (SIGTERM, then SIGKILL) and deletes the config dir. Idempotent. */
    stop(): Promise<void>;
}

/**
 * Starts `node browser-app/lib/backend/main.js <workspace> --hostname=127.0.0.1 --port=0`
 * in its own process group and resolves once it listens (the port comes from its log).
 */
export async function startTheiaApp(options: TheiaAppOptions): Promise<TheiaApp> {
    const main = browserAppMain();
    const home: TempDir = makeTempDir(`${options.name}-home`);
    const configDir = path.join(home.path, '.theia');
    mkdirSync(configDir, { recursive: true });
    writeFileSync(path.join(configDir, 'settings.json'), JSON.stringify(options.settings ?? {}, undefined, 2));
    const logFile = path.join(artifactsDir('logs'), `${options.name}-backend.log`);
    const log = createWriteStream(logFile);

    const child: ChildProcess = spawn(process.execPath, [main, options.workspace, '--hostname=127.0.0.1', '--port=0'], {
        cwd: path.dirname(main),
        // Its own process group: stopping it stops whatever it spawned (terminals, watchers, ripgrep).
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
            ...process.env,
            HOME: home.path,
            THEIA_CONFIG_DIR: configDir,
            ENSEMBLE_LOG_LEVEL: process.env.ENSEMBLE_LOG_LEVEL ?? 'warn',
            ...options.env
        }
    });
    const pid = child.pid;
    if (pid === undefined) {
        home.remove();
        throw new Error(`Could not start the ${options.name} app (${main}).`);
    }
    const forget = killGroupOnExit(pid);
    let exited = false;
    const exit = new Promise<void>(resolve => child.once('exit', () => { exited = true; resolve(); }));

    const stop = async (): Promise<void> => {
        forget();
        if (!exited) {
            signalGroup(pid, 'SIGTERM');
            const gone = await Promise.race([exit.then(() => true), delay(5000).then(() => false)]);
            if (!gone) {
                signalGroup(pid, 'SIGKILL');
                await exit;
            }
        }
        // The backend's children may outlive it briefly; the group is ours, make sure it is gone.
        signalGroup(pid, 'SIGKILL');
        log.end();
        home.remove();
    };

    try {
        const url = await new Promise<string>((resolve, reject) => {
            let output = '';
            const timer = setTimeout(() => reject(new Error(`The ${options.name} app did not start listening within ${options.startTimeoutMs ?? 60_000} ms; see ${logFile}.`)),
                options.startTimeoutMs ?? 60_000);
            const onData = (chunk: Buffer): void => {
                if (!log.writableEnded) {
                    log.write(chunk);
                }
                output += chunk.toString('utf8');
                const match = /Theia app listening on (http:\/\/[^\s]+?)\.?(\s|$)/.exec(output);
                if (match) {
                    clearTimeout(timer);
                    resolve(match[1].replace(/\/$/, ''));
                }
            };
            child.stdout?.on('data', onData);
            child.stderr?.on('data', onData);
            child.once('exit', code => {
                clearTimeout(timer);
                reject(new Error(`The ${options.name} app exited (code ${code}) before listening; see ${logFile}.`));
            });
        });
        return { name: options.name, url, pid, workspace: options.workspace, configDir, logFile, stop };
    } catch (error) {
        await stop();
        throw error;
    }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
    try {
        process.kill(-pid, signal);
    } catch {
        // the group is already gone
    }
}

function delay(ms: number): Promise<void> {
    return new Promise(resolve => setTimeout(resolve, ms));
}
