import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { injectable } from '@theia/core/shared/inversify';
import { startServerProcess, type ServerProcess } from '@ensemble/coordination-server';
import { EmbeddedServerService } from '../common/embedded-server-protocol';

/**
 * Runs the coordination server for the Theia backend, so that `npm start`
 * needs nothing else. It starts on first use and listens on
 * ENSEMBLE_EMBEDDED_SERVER_HOST:ENSEMBLE_EMBEDDED_SERVER_PORT (default
 * 127.0.0.1 and a free port): guests on other machines need a reachable
 * host, or a self-hosted server set in `collaboration.serverUrl`.
 *
 * It runs in a process of its own, not in the backend's: the backend's own
 * work (saving a 10 MB file, a workspace search) blocks its event loop for
 * up to seconds, and every guest's keystrokes would wait for it. The server
 * process stops with the backend, even when the backend crashes.
 */
@injectable()
export class EmbeddedCoordinationServer implements EmbeddedServerService, BackendApplicationContribution {
    private running: Promise<ServerProcess> | undefined;

    getUrl(): Promise<string> {
        this.running ??= this.start();
        return this.running.then(server => server.url);
    }

    async onStop(): Promise<void> {
        const running = this.running;
        this.running = undefined;
        const server = await running?.catch(() => undefined);
        if (server) {
            const killLater = setTimeout(() => server.child.kill('SIGKILL'), 5_000);
            await server.terminate();
            clearTimeout(killLater);
        }
    }

    private async start(): Promise<ServerProcess> {
        const port = Number(process.env.ENSEMBLE_EMBEDDED_SERVER_PORT ?? 0);
        const host = process.env.ENSEMBLE_EMBEDDED_SERVER_HOST ?? '127.0.0.1';
        try {
            return await startServerProcess(['--port', String(port), '--host', host], embeddedServerEnv(), { stopWithParent: true });
        } catch (error) {
            this.running = undefined;
            throw new Error(`The embedded collaboration server could not start on ${host}:${port} (${lastLine((error as Error).message)}). `
                + 'Free the port, set ENSEMBLE_EMBEDDED_SERVER_PORT, or set the preference collaboration.serverUrl to a running server.');
        }
    }
}

/**
 * The backend's environment without the settings of a self-hosted server
 * (ENSEMBLE_PORT, REDIS_URL, ENSEMBLE_CONFIG, ...): those are meant for
 * `ensemble-server` run on its own, not for the embedded default.
 */
function embeddedServerEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
        if (!key.startsWith('ENSEMBLE_') && key !== 'REDIS_URL') {
            env[key] = value;
        }
    }
    env.ENSEMBLE_LOG_LEVEL = process.env.ENSEMBLE_LOG_LEVEL ?? 'warn';
    return env;
}

function lastLine(text: string): string {
    const lines = text.trim().split('\n').filter(line => line.trim() !== '');
    return lines[lines.length - 1] ?? text;
}
