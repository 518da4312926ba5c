/**
 * The frontend/backend contract for the coordination server embedded in the
 * Theia backend, used when the preference `collaboration.serverUrl` is empty.
 */
export const EMBEDDED_SERVER_PATH = '/services/ensemble/embedded-server';

export const EmbeddedServerService = Symbol('EmbeddedServerService');

export interface EmbeddedServerService {
    /** The URL of the embedded server, started on first use. Rejects with a message the user can act on. */
    getUrl(): Promise<string>;
}
