import { inject, injectable } from '@theia/core/shared/inversify';
import { EmbeddedServerService } from '@ensemble/collaboration-backend/lib/common/embedded-server-protocol';
import { SessionError } from '@ensemble/collaboration-common';
import { CollaborationPreferences } from '../collaboration-preferences';
import { InviteParseError, normalizeServerUrl } from './invite-link';

/**
 * Which coordination server this window uses for new rooms and bare invite
 * codes: the preference `collaboration.serverUrl` when set, else the server
 * embedded in this application's backend (started on first use).
 */
@injectable()
export class ServerUrlResolver {
    @inject(CollaborationPreferences) protected readonly preferences!: CollaborationPreferences;
    @inject(EmbeddedServerService) protected readonly embeddedServer!: EmbeddedServerService;

    /** Rejects with a SessionError (`invalid-server-url` or `server-unreachable`) whose message says what to fix. */
    async resolve(): Promise<string> {
        const configured = (this.preferences['collaboration.serverUrl'] ?? '').trim();
        if (configured) {
            try {
                return normalizeServerUrl(configured);
            } catch (error) {
                throw new SessionError('invalid-server-url', `The preference collaboration.serverUrl ("${configured}") is not usable: `
                    + `${error instanceof InviteParseError ? error.message : String(error)} Fix it, or clear it to use the server built into this application.`);
            }
        }
        try {
            return normalizeServerUrl(await this.embeddedServer.getUrl());
        } catch (error) {
            throw new SessionError('server-unreachable', error instanceof Error ? error.message : String(error));
        }
    }
}
