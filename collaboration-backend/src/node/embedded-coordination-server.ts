import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { injectable } from '@theia/core/shared/inversify';
import { startCoordinationServer } from '@ensemble/coordination-server';
import { EmbeddedServerService } from '../common/embedded-server-protocol';

type RunningServer = Awaited<ReturnType<typeof startCoordinationServer>>;

/**
 * Runs the coordination server inside the Theia backend, so that `npm start`
 * needs nothing else. It starts on first use and listens on
 * ENSEMBLE_EMBEDDED_SERVER_HOST:ENSEMBLE_EMBEDDED_SERVER_PORT (default
 * 127.0.0.1 and a free port): guests on other machines need a reachable
 * host, or a self-hosted server set in `collaboration.serverUrl`.
 */
@injectable()
export class EmbeddedCoordinationServer implements EmbeddedServerService, BackendApplicationContribution {
    private running: Promise<RunningServer> | undefined;

    getUrl(): Promise<string> {
        this.running ??= this.start();
        return this.running.then(server => server.url);
    }

    async onStop(): Promise<void> {
        const running = this.running;
        this.running = undefined;
        if (running) {
            await (await running).close();
        }
    }

    private async start(): Promise<RunningServer> {
        const port = Number(process.env.ENSEMBLE_EMBEDDED_SERVER_PORT ?? 0);
        const host = process.env.ENSEMBLE_EMBEDDED_SERVER_HOST ?? '127.0.0.1';
        try {
            return await startCoordinationServer({ port, host, logLevel: process.env.ENSEMBLE_LOG_LEVEL ?? 'warn' });
        } catch (error) {
            this.running = undefined;
            throw new Error(`The embedded collaboration server could not start on ${host}:${port} (${(error as Error).message}). `
                + 'Free the port, set ENSEMBLE_EMBEDDED_SERVER_PORT, or set the preference collaboration.serverUrl to a running server.');
        }
    }
}
