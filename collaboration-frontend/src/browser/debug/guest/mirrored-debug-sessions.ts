import { inject, injectable, type interfaces } from '@theia/core/shared/inversify';
import { DebugSession, type DebugSessionData } from '@theia/debug/lib/browser/debug-session';
import { DebugSessionConnection } from '@theia/debug/lib/browser/debug-session-connection';
import type { DebugSessionContribution, DebugSessionFactory } from '@theia/debug/lib/browser/debug-session-contribution';
import { DebugSessionManager } from '@theia/debug/lib/browser/debug-session-manager';
import type { DebugConfigurationSessionOptions } from '@theia/debug/lib/browser/debug-session-options';
import type { DebugChannel } from '@theia/debug/lib/common/debug-service';
import { ENSEMBLE_SCHEME } from '../../workspace/ensemble-uri';

/** The debug type of a guest's mirror of a host's session (never in a launch.json: mirrors are started by Ensemble only). */
export const MIRROR_DEBUG_TYPE = 'ensemble-host-session';

/** The channels of mirrors about to be created, by session id. */
@injectable()
export class MirrorChannels {
    private readonly channels = new Map<string, DebugChannel>();

    set(sessionId: string, channel: DebugChannel): void {
        this.channels.set(sessionId, channel);
    }

    take(sessionId: string): DebugChannel | undefined {
        const channel = this.channels.get(sessionId);
        this.channels.delete(sessionId);
        return channel;
    }
}

/** Creates mirrors as Theia's own factory creates sessions, but on a channel to the host instead of a backend adapter. */
export class MirroredDebugSessionFactory implements DebugSessionFactory {
    constructor(private readonly container: interfaces.Container, private readonly channels: MirrorChannels) { }

    createSession(sessionId: string, options: DebugConfigurationSessionOptions, parentSession?: DebugSession): DebugSession {
        const channel = this.channels.take(sessionId);
        if (!channel) {
            throw new Error(`No channel to the host for debug session ${sessionId}`);
        }
        const connection = new DebugSessionConnection(sessionId, async () => channel, undefined);
        const data: DebugSessionData = { id: sessionId, options, parentSession };
        return DebugSession.createContainer(this.container, data, connection).get(DebugSession);
    }
}

export class MirroredDebugSessionContribution implements DebugSessionContribution {
    readonly debugType = MIRROR_DEBUG_TYPE;

    constructor(private readonly factory: MirroredDebugSessionFactory) { }

    debugSessionFactory(): DebugSessionFactory {
        return this.factory;
    }
}

/**
 * Theia's session manager, plus starting a session whose adapter is not in
 * this window's backend (Theia's `start` always asks the backend to create
 * one). Everything else (views, editor decorations, console) is Theia's.
 */
@injectable()
export class EnsembleDebugSessionManager extends DebugSessionManager {
    @inject(MirrorChannels) protected readonly mirrorChannels!: MirrorChannels;

    startMirror(sessionId: string, options: DebugConfigurationSessionOptions, channel: DebugChannel): Promise<DebugSession> {
        this.mirrorChannels.set(sessionId, channel);
        return this.doStart(sessionId, options);
    }

    /**
     * A guest's workspace is the host's (`ensemble:` URIs): its launch
     * configurations are the host's and only make sense on the host, where
     * the program and the adapter are.
     */
    protected override async startConfiguration(options: DebugConfigurationSessionOptions): Promise<DebugSession | undefined> {
        if (options.workspaceFolderUri?.startsWith(`${ENSEMBLE_SCHEME}:`)) {
            void this.messageService.info(`Ensemble: '${options.name}' is the host's launch configuration and runs on the host: ask the host to start it. Its debug session then appears in your Debug view.`);
            return undefined;
        }
        return super.startConfiguration(options);
    }

    /** Theia would restart a mirror by asking this window's backend for a new adapter, which it does not have. */
    protected override async doRestart(session: DebugSession, isRestart: boolean): Promise<DebugSession | undefined> {
        if (session.configuration.type === MIRROR_DEBUG_TYPE) {
            void this.messageService.info('Ensemble: only the host can restart its debug session.');
            return session;
        }
        return super.doRestart(session, isRestart);
    }
}
