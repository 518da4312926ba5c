import { CLI_USAGE, ConfigError, loadConfig } from './config/load-config';
import { startCoordinationServer } from './start-coordination-server';

/** Entry point of `ensemble-server`: start, print the URL, stop cleanly on SIGTERM / SIGINT. */
export async function main(argv: readonly string[]): Promise<void> {
    let config;
    try {
        config = loadConfig(argv, process.env);
    } catch (error) {
        console.error(error instanceof ConfigError ? error.message : error);
        process.exitCode = 2;
        return;
    }
    if (config.help) {
        console.log(CLI_USAGE);
        return;
    }
    let server;
    try {
        server = await startCoordinationServer(config.options);
    } catch (error) {
        console.error(`ensemble-server could not start: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
        return;
    }
    // Plain line on stdout so scripts (and tests) can read the URL; pino logs are JSON.
    console.log(`Ensemble coordination server listening on ${server.url}`);
    const stop = (signal: string): void => {
        console.log(`Received ${signal}, shutting down.`);
        server.close().then(() => process.exit(0), error => {
            console.error('Shutdown failed:', error);
            process.exit(1);
        });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    if (process.env.ENSEMBLE_STOP_WITH_STDIN === '1') {
        // Embedded in an application (see startServerProcess): its end of the pipe closes when it exits, even when it crashes.
        process.stdin.once('end', () => stop('the end of stdin (the embedding application exited)'));
        process.stdin.resume();
    }
}
