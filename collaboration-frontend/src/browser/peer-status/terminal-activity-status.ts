import { Disposable } from '@theia/core/lib/common/disposable';
import { ILogger } from '@theia/core/lib/common/logger';
import { inject, injectable } from '@theia/core/shared/inversify';
import { TerminalService } from '@theia/terminal/lib/browser/base/terminal-service';
import type { CollaborationSessionContribution } from '../session/session-contribution';
import { BuiltInStatusKeys } from './builtin-status-keys';
import { PeerStatusService } from './peer-status-service';

/** How often the terminals are asked whether a command runs in them (one backend call per terminal). */
const CHECK_INTERVAL_MS = 3000;
/** A terminal whose backend does not answer counts as idle; the next check asks again. */
const CHECK_TIMEOUT_MS = 10_000;

/** `promise`'s value, or `fallback` when it fails or takes longer than `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
    return new Promise<T>(resolve => {
        const timer = setTimeout(() => resolve(fallback), ms);
        promise.then(resolve, () => resolve(fallback)).finally(() => clearTimeout(timer));
    });
}

/**
 * Publishes `ensemble.terminal.running` while a command runs in one of this
 * window's terminals (its shell has child processes: a build, tests, a
 * server), so the others see that someone is running something.
 */
@injectable()
export class TerminalActivityStatus implements CollaborationSessionContribution {
    @inject(PeerStatusService) protected readonly statuses!: PeerStatusService;
    @inject(TerminalService) protected readonly terminals!: TerminalService;
    @inject(ILogger) protected readonly logger!: ILogger;

    onSessionStarting(): Disposable {
        let stopped = false;
        let checking = false;
        const check = async (): Promise<void> => {
            if (checking) {
                return; // a slow backend: never pile up checks
            }
            checking = true;
            try {
                const busy = await Promise.all(this.terminals.all.map(terminal => withTimeout(terminal.hasChildProcesses(), CHECK_TIMEOUT_MS, false)));
                if (stopped) {
                    return;
                }
                if (busy.includes(true)) {
                    if (this.statuses.ownValue(BuiltInStatusKeys.terminalRunning) !== true) {
                        this.statuses.setStatusKey(BuiltInStatusKeys.terminalRunning, true);
                    }
                } else {
                    this.statuses.removeStatusKey(BuiltInStatusKeys.terminalRunning);
                }
            } catch (error) {
                this.logger.warn('Ensemble: could not tell whether a command runs in a terminal', error);
            } finally {
                checking = false;
            }
        };
        const timer = setInterval(() => void check(), CHECK_INTERVAL_MS);
        return Disposable.create(() => {
            stopped = true;
            clearInterval(timer);
            this.statuses.removeStatusKey(BuiltInStatusKeys.terminalRunning);
        });
    }
}
