import { peerStatusProblem } from '@ensemble/collaboration-common';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { Emitter, type Event } from '@theia/core/lib/common/event';
import { inject, injectable } from '@theia/core/shared/inversify';
import { CollaborationSessionService } from '../session/collaboration-session-service';
import type { CollaborationSessionContribution, SessionContext } from '../session/session-contribution';
import { statusKeyProblem, type StatusValue } from './status-value';

export interface PeerStatusChange {
    /** The peer whose status changed, expired, or who left. */
    readonly peerId: string;
}

/** A status key or value that cannot be published; nothing was changed. */
export class PeerStatusError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'PeerStatusError';
    }
}

/**
 * Status objects for other extensions: each puts its own namespaced keys on
 * this peer's status (`setStatusKey('acme.buildRunning', true)`), reads the
 * other peers' keys and hears when they change. Keys are kept from one
 * session to the next and published, merged with everything else in the
 * status, as one status whenever this window is in a session.
 */
@injectable()
export class PeerStatusService implements CollaborationSessionContribution {
    @inject(CollaborationSessionService) protected readonly sessions!: CollaborationSessionService;

    private readonly own = new Map<string, StatusValue>();
    private readonly changeEmitter = new Emitter<PeerStatusChange>();
    /** A peer's status changed (any key), expired, or the peer left. Read it with `statusOf` / `valueOf`. */
    readonly onDidChangeStatus: Event<PeerStatusChange> = this.changeEmitter.event;

    /**
     * Sets one key of this peer's status. Throws PeerStatusError (and changes
     * nothing) when the key is not namespaced or the status would exceed its
     * size limit.
     */
    setStatusKey(key: string, value: StatusValue): void {
        const keyProblem = statusKeyProblem(key);
        if (keyProblem) {
            throw new PeerStatusError(keyProblem);
        }
        const sizeProblem = peerStatusProblem({ ...this.sessions.ownStatus, ...Object.fromEntries(this.own), [key]: value });
        if (sizeProblem) {
            throw new PeerStatusError(`"${key}" was not set. ${sizeProblem}`);
        }
        this.own.set(key, value);
        this.sessions.updateOwnStatus({ [key]: value });
    }

    removeStatusKey(key: string): void {
        if (this.own.delete(key)) {
            this.sessions.updateOwnStatus({ [key]: undefined });
        }
    }

    /** This peer's value of a key it set. */
    ownValue(key: string): StatusValue | undefined {
        return this.own.get(key);
    }

    /** A peer's current status (this peer's too, as the server relayed it); undefined when it has none or expired. */
    statusOf(peerId: string): Readonly<Record<string, unknown>> | undefined {
        return this.sessions.session?.statuses.get(peerId)?.status;
    }

    /** One key of a peer's status. It is peer input: check its shape before use. */
    valueOf(peerId: string, key: string): unknown {
        return this.statusOf(peerId)?.[key];
    }

    onSessionStarting({ session }: SessionContext): Disposable {
        // Published on connect together with the name and colour.
        this.sessions.updateOwnStatus(Object.fromEntries(this.own));
        const fire = (peerId: string): void => this.changeEmitter.fire({ peerId });
        return new DisposableCollection(
            session.onStatusChanged(entry => fire(entry.peerId)),
            session.onStatusExpired(({ peerId }) => fire(peerId)),
            session.onPeerLeft(({ peerId }) => fire(peerId))
        );
    }
}
