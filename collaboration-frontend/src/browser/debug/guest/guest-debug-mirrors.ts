import type { CollaborationSession } from '@ensemble/collaboration-common';
import { MessageService } from '@theia/core/lib/common/message-service';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { inject, injectable } from '@theia/core/shared/inversify';
import { CollaborationSessionService } from '../../session/collaboration-session-service';
import { askHostOnceAdmittedAndAfterLoss } from '../../session/session-entered';
import {
    BreakpointVerdictsChanged, DebugSessionEnded, DebugSessionEvent, DebugSessionStarted, ForwardDebugRequest, ListBreakpointVerdicts, ListDebugSessions,
    type DebugSessionInfo
} from '../debug-messages';
import { EnsembleDebugSessionManager, MIRROR_DEBUG_TYPE } from './mirrored-debug-sessions';
import { RemoteDebugChannel } from './remote-debug-channel';

/**
 * A guest's mirrors of the host's debug sessions: one Theia debug session
 * per host session in the guest's Debug view, attached when the host
 * starts one (or when the guest joins while one runs), closed when it ends
 * or when the guest leaves.
 */
@injectable()
export class GuestDebugMirrors {
    @inject(EnsembleDebugSessionManager) protected readonly manager!: EnsembleDebugSessionManager;
    @inject(CollaborationSessionService) protected readonly sessions!: CollaborationSessionService;
    @inject(MessageService) protected readonly messages!: MessageService;

    /** Attaches again to the host's running sessions (after this guest stopped, i.e. detached from, one); undefined when not a guest. */
    private reattachToHost: (() => Promise<void>) | undefined;

    get canReattach(): boolean {
        return this.reattachToHost !== undefined;
    }

    async reattach(): Promise<void> {
        await this.reattachToHost?.();
    }

    /** Called for every session this window joins as a guest, before it connects. */
    start(session: CollaborationSession): Disposable {
        const channels = new Map<string, RemoteDebugChannel>();
        const toDispose = new DisposableCollection();
        let ended = false;
        let listed = false;

        /** The host session's verdicts on the shared breakpoints, for a mirror that starts (or may have missed some). */
        const listVerdicts = (channel: RemoteDebugChannel, sessionId: string): void => {
            session.sendRequest(ListBreakpointVerdicts, { sessionId }, { type: 'host' }).then(
                ({ files }) => files.forEach(({ path, verdicts }) => channel.receiveVerdicts(path, verdicts)),
                // The mirror then shows breakpoints as set until the host's next verdicts arrive.
                error => console.warn(`Ensemble: could not get the host's breakpoint verdicts: ${error instanceof Error ? error.message : String(error)}`));
        };

        const attach = (info: DebugSessionInfo): void => {
            const existing = channels.get(info.id);
            if (ended) {
                return;
            }
            if (existing && !existing.isClosed) {
                existing.resync(info);
                listVerdicts(existing, info.id);
                return;
            }
            const channel = new RemoteDebugChannel(info,
                (command, args) => session.sendRequest(ForwardDebugRequest, { sessionId: info.id, command, arguments: args }, { type: 'host' }),
                message => void this.messages.warn(`Ensemble: ${message}`));
            channels.set(info.id, channel);
            listVerdicts(channel, info.id);
            channel.onClose(() => {
                if (channels.get(info.id) === channel) {
                    channels.delete(info.id);
                }
            });
            // Labelled with the host's name, so that it is not taken for one of this guest's own sessions.
            const hostName = (session.hostPeerId && session.peers.get(session.hostPeerId)?.name) || 'host';
            const label = `${info.name} (${hostName})`;
            this.manager.startMirror(info.id, {
                name: label,
                configuration: { type: MIRROR_DEBUG_TYPE, request: 'attach', name: label, hostDebugType: info.type }
            }, channel).catch(error => {
                channel.close();
                void this.messages.error(`Ensemble: could not show the host's debug session '${info.name}': ${error instanceof Error ? error.message : String(error)}`);
            });
        };

        const listHostSessions = async (): Promise<number> => {
            try {
                const { sessions } = await session.sendRequest(ListDebugSessions, {}, { type: 'host' });
                // Sessions that ended while this guest was away (their `session-ended` was missed) end here too.
                const running = new Set(sessions.map(info => info.id));
                [...channels].filter(([id]) => !running.has(id)).forEach(([, channel]) => channel.close());
                sessions.forEach(attach);
                return sessions.length;
            } catch (error) {
                void this.messages.warn(`Ensemble: could not get the host's debug sessions (${error instanceof Error ? error.message : String(error)}); they appear when the host starts one.`);
                return 0;
            }
        };
        this.reattachToHost = async () => {
            if (listed && await listHostSessions() === 0) {
                void this.messages.info('Ensemble: the host is not debugging right now; its debug sessions appear in your Debug view when it starts one.');
            }
        };

        toDispose.push(session.onBroadcast(DebugSessionStarted, attach));
        toDispose.push(session.onBroadcast(DebugSessionEnded, ({ id }) => channels.get(id)?.close()));
        toDispose.push(session.onBroadcast(DebugSessionEvent, ({ sessionId, event, body }) => channels.get(sessionId)?.receiveEvent(event, body)));
        toDispose.push(session.onBroadcast(BreakpointVerdictsChanged, ({ sessionId, path, verdicts }) => channels.get(sessionId)?.receiveVerdicts(path, verdicts)));
        // After a reconnection that lost messages, events may have been missed: attach to what runs now.
        toDispose.push(askHostOnceAdmittedAndAfterLoss(this.sessions, session, () => {
            listed = true;
            void listHostSessions();
        }));
        toDispose.push(Disposable.create(() => {
            ended = true;
            this.reattachToHost = undefined;
            channels.forEach(channel => channel.close());
            channels.clear();
        }));
        return toDispose;
    }
}
