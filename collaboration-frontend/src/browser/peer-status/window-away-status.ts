import { Disposable } from '@theia/core/lib/common/disposable';
import { inject, injectable } from '@theia/core/shared/inversify';
import type { CollaborationSessionContribution } from '../session/session-contribution';
import { BuiltInStatusKeys } from './builtin-status-keys';
import { PeerStatusService } from './peer-status-service';

/** Publishes `ensemble.away` while this window is hidden, so others know why nobody answers in chat. */
@injectable()
export class WindowAwayStatus implements CollaborationSessionContribution {
    @inject(PeerStatusService) protected readonly statuses!: PeerStatusService;

    onSessionStarting(): Disposable {
        const publish = (): void => {
            if (document.visibilityState === 'hidden') {
                this.statuses.setStatusKey(BuiltInStatusKeys.away, true);
            } else {
                this.statuses.removeStatusKey(BuiltInStatusKeys.away);
            }
        };
        document.addEventListener('visibilitychange', publish);
        publish();
        return Disposable.create(() => {
            document.removeEventListener('visibilitychange', publish);
            this.statuses.removeStatusKey(BuiltInStatusKeys.away);
        });
    }
}
